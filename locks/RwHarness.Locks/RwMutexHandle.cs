using System.Runtime.CompilerServices;
using RwHarness.Sync;

namespace RwHarness.Locks;

/// <summary>
/// A struct handle to an <see cref="RwMutex"/>, BRAVO's inner lock in production (<see cref="BravoRwMutex"/>).
/// Non-generic on purpose: <c>BravoRwLock&lt;RealSync, RwMutexHandle&gt;</c> is then an exact instantiation, so
/// the JIT specialises BRAVO's code and inlines RwMutex's read fast path into it.
/// </summary>
public readonly struct RwMutexHandle(RwMutex mutex) : IRwLock, IDescribeState
{
    /// <summary>The lock this handle calls.</summary>
    public RwMutex Mutex { get; } = mutex ?? throw new ArgumentNullException(nameof(mutex));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterRead() => Mutex.EnterRead();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEnterRead() => Mutex.TryEnterRead();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitRead() => Mutex.ExitRead();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterWrite() => Mutex.EnterWrite();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEnterWrite() => Mutex.TryEnterWrite();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitWrite() => Mutex.ExitWrite();

    public string DescribeState() => Mutex.DescribeState();
}
