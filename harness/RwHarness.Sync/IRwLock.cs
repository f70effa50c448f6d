namespace RwHarness.Sync;

/// <summary>
/// The surface every reader/writer lock in RwHarness offers, and the one a user's lock implements to be
/// tested by the harness. Go names in brackets: EnterRead = RLock, ExitRead = RUnlock,
/// EnterWrite = Lock, ExitWrite = Unlock, TryEnter* = TryRLock / TryLock.
/// </summary>
public interface IRwLock
{
    void EnterRead();
    bool TryEnterRead();
    void ExitRead();
    void EnterWrite();
    bool TryEnterWrite();
    void ExitWrite();
}

/// <summary>Optional: a lock that can print its internal state for traces (for example "readerCount=-1073741823 readerWait=1").</summary>
public interface IDescribeState
{
    string DescribeState();
}
