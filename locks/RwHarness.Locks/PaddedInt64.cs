using System.Runtime.InteropServices;

namespace RwHarness.Locks;

/// <summary>A <see cref="long"/> alone on its cache line: one slot of BRAVO's visible-readers table.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct PaddedInt64
{
    [FieldOffset(0)]
    public long Value;
}
