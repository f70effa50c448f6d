using System.Runtime.CompilerServices;
using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// BRAVO's own read scope: <c>using (l.Read()) { … }</c> on a BRAVO lock binds here rather than to the generic
/// <see cref="LockScopeExtensions.Read{TLock}"/>, and the scope remembers whether the read went through the table.
/// </summary>
public partial class BravoRwLock<TSync, TInner>
{
    /// <summary>
    /// Enters the read side and returns a scope that exits it. Same algorithm as <see cref="EnterRead"/> and
    /// <see cref="ExitRead()"/>, but the exit knows its slot from the scope instead of looking up the thread's identity:
    /// on the real backend that lookup is a call into the TLS resolver (linux-x64), so a scoped read pair makes one
    /// instead of two.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadScope Read() => new(this, EnterReadSlot());

    /// <summary>Releases a read taken by <see cref="Read"/>. A struct: the scope allocates nothing.</summary>
    public readonly struct ReadScope : IDisposable
    {
        private readonly BravoRwLock<TSync, TInner> lockObject;
        private readonly int slotIndex; // 1..TableSize: the slot this read occupies; 0: it went through the inner lock

        internal ReadScope(BravoRwLock<TSync, TInner> lockObject, int slotIndex)
        {
            this.lockObject = lockObject;
            this.slotIndex = slotIndex;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Dispose() => lockObject.ExitRead(slotIndex);
    }
}
