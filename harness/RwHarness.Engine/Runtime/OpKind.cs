namespace RwHarness.Engine.Runtime;

/// <summary>The kinds of visible operation; each one is a scheduling point.</summary>
public enum OpKind : byte
{
    Load,
    Store,
    Add,
    Exchange,
    CompareExchange,
    Semacquire,
    Semrelease,
    Park,
    Unpark,
    SpinHint,
    Yield,
    Atomic,
    WaitExternal,
    NotifyExternal,
}
