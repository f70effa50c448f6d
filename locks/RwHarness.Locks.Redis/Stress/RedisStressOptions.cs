namespace RwHarness.Locks.Redis.Stress;

/// <summary>Faults the coordinator injects into one stress run. Each needs its own victim client.</summary>
[Flags]
public enum RedisStressFaults
{
    None = 0,

    /// <summary>kill -9 a reader inside its critical section (<c>--kill-reader</c>).</summary>
    KillReader = 1,

    /// <summary>kill -9 a writer inside its critical section (<c>--kill-writer</c>).</summary>
    KillWriter = 2,

    /// <summary>SIGSTOP a writer between its read and its write until its lease has passed and another writer has been in; then SIGCONT (<c>--pause-writer</c>).</summary>
    PauseWriter = 4,

    /// <summary>Restart redis-server mid-run (SHUTDOWN SAVE, start again); needs a server the coordinator started itself (<c>--restart-server</c>).</summary>
    RestartServer = 8,
}

/// <summary>
/// Settings of <see cref="RedisStress.RunCoordinator"/>; one property per CLI flag of
/// <c>rwharness redis-stress</c>.
/// </summary>
public sealed record RedisStressOptions
{
    /// <summary><c>--clients N</c>: client processes (at least 2, and one more than the number of victim faults).</summary>
    public int Clients { get; init; } = 4;

    /// <summary><c>--duration S</c>: how long the clients run.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>--endpoint HOST:PORT</c>: an existing server; null starts a throwaway redis-server on a free loopback port.</summary>
    public string? Endpoint { get; init; }

    /// <summary><c>--mode writer|reader</c>.</summary>
    public RedisRwLockMode Mode { get; init; } = RedisRwLockMode.WriterPreferring;

    /// <summary><c>--lease MS</c>: lock lease (short, so killed and paused holders age out quickly).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>--read-fraction F</c>: share of operations that are reads.</summary>
    public double ReadFraction { get; init; } = 0.5;

    /// <summary><c>--kill-reader --kill-writer --pause-writer --restart-server</c>.</summary>
    public RedisStressFaults Faults { get; init; } = RedisStressFaults.None;

    /// <summary>
    /// <c>--unfenced</c>: writers skip the fencing token. With <see cref="RedisStressFaults.PauseWriter"/> the
    /// paused writer's late write then loses an update, which the run must detect (exit 1, lost-updates &gt; 0).
    /// </summary>
    public bool Unfenced { get; init; }

    /// <summary>
    /// Clients send each release without waiting for its reply (see the README, "Pipelined release"); its answer is
    /// checked after the client's next acquire. Not a CLI flag; used by the fault tests.
    /// </summary>
    public bool PipelinedRelease { get; init; }

    /// <summary>Executable that runs one client (for example <c>dotnet</c>, or the rwharness executable itself).</summary>
    public required string ClientExecutable { get; init; }

    /// <summary>Arguments put before the client arguments (for example the StressClient dll path, or <c>redis-stress-client</c>); the rest is passed on to <see cref="RedisStress.RunClient"/>.</summary>
    public IReadOnlyList<string> ClientArgumentPrefix { get; init; } = [];

    /// <summary>redis-server to start when <see cref="Endpoint"/> is null; default: the one on PATH.</summary>
    public string? RedisServerExecutable { get; init; }

    /// <summary>Seed of the clients' random choices (each client adds its index).</summary>
    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>Echo every client line to the output (debugging).</summary>
    public bool Verbose { get; init; }
}

/// <summary>What one stress run measured; the last line printed is <see cref="ToString"/>.</summary>
public sealed record RedisStressResult(long Ops, long Overlaps, long LostUpdates, bool Passed, IReadOnlyList<string> Problems)
{
    public override string ToString() => $"redis-stress: ops={Ops} overlaps={Overlaps} lost-updates={LostUpdates}";
}
