using System.Runtime.InteropServices;

namespace RwHarness.Locks;

/// <summary>
/// An <see cref="int"/> alone on its cache line (and the adjacent one the prefetcher pairs with it), so
/// a counter every reader writes (readerCount) never shares a line with fields writers touch.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedInt32
{
    [FieldOffset(64)]
    public int Value;
}
