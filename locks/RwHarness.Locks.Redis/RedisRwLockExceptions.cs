namespace RwHarness.Locks.Redis;

/// <summary>Base of the errors this lock raises itself.</summary>
public class RedisRwLockException : Exception
{
    public RedisRwLockException(string message)
        : base(message)
    {
    }

    public RedisRwLockException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>Redis could not be reached (down, restarting, network): the operation's outcome is as if it did not happen, except that a release may have been applied.</summary>
public sealed class RedisLockUnavailableException : RedisRwLockException
{
    public RedisLockUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The lock was not granted within the timeout.</summary>
public sealed class RedisLockTimeoutException : TimeoutException
{
    public RedisLockTimeoutException(string message)
        : base(message)
    {
    }
}

/// <summary>A lease had already expired (or been taken over) when its holder released it.</summary>
public sealed class RedisLeaseLostException : RedisRwLockException
{
    public RedisLeaseLostException(string message)
        : base(message)
    {
    }
}
