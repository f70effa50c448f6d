using System.Runtime.InteropServices;

namespace RwHarness.Locks;

/// <summary>
/// One slot of BRAVO's visible-readers table, 128 bytes apart from the next: two readers on different
/// cores never write the same cache line, nor the same adjacent-line pair that the L2 prefetchers of
/// current x86 cores fetch together.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct VisibleReaderSlot
{
    [FieldOffset(0)]
    public long Value;
}
