using System.Runtime.InteropServices;

namespace RwHarness.Scenarios.Mutants;

/// <summary>Copy of the lock family's internal <c>PaddedInt32</c>: an int alone on its cache line (readerCount).</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedInt32
{
    [FieldOffset(64)]
    public int Value;
}

/// <summary>Copy of the lock family's internal <c>PaddedInt64</c>: one slot of BRAVO's visible-readers table.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct PaddedInt64
{
    [FieldOffset(0)]
    public long Value;
}
