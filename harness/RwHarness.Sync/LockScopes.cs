namespace RwHarness.Sync;

/// <summary>Releases the read side on Dispose. A struct: <c>using (l.Read()) { … }</c> allocates nothing.</summary>
public readonly struct ReadScope<TLock> : IDisposable
    where TLock : IRwLock
{
    private readonly TLock lockObject;

    internal ReadScope(TLock lockObject) => this.lockObject = lockObject;

    public void Dispose() => lockObject.ExitRead();
}

/// <summary>Releases the write side on Dispose. A struct: <c>using (l.Write()) { … }</c> allocates nothing.</summary>
public readonly struct WriteScope<TLock> : IDisposable
    where TLock : IRwLock
{
    private readonly TLock lockObject;

    internal WriteScope(TLock lockObject) => this.lockObject = lockObject;

    public void Dispose() => lockObject.ExitWrite();
}

public static class LockScopeExtensions
{
    /// <summary>Enters the read side and returns a scope that exits it.</summary>
    public static ReadScope<TLock> Read<TLock>(this TLock lockObject)
        where TLock : IRwLock
    {
        lockObject.EnterRead();
        return new ReadScope<TLock>(lockObject);
    }

    /// <summary>Enters the write side and returns a scope that exits it.</summary>
    public static WriteScope<TLock> Write<TLock>(this TLock lockObject)
        where TLock : IRwLock
    {
        lockObject.EnterWrite();
        return new WriteScope<TLock>(lockObject);
    }
}
