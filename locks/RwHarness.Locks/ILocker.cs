namespace RwHarness.Locks;

/// <summary>A plain lock (Go's <c>sync.Locker</c>): Enter = Lock, Exit = Unlock.</summary>
public interface ILocker
{
    void Enter();

    void Exit();
}
