using System.CommandLine;
using System.Reflection;
using RwHarness.Engine;
using RwHarness.Locks.Redis;
using RwHarness.Locks.Redis.Stress;

namespace RwHarness.Cli.Commands;

/// <summary>
/// <c>rwharness redis-stress --clients N --duration S</c>: N client processes guard a non-atomic
/// read-modify-write with the Redis lock against a real redis-server; ends with
/// <c>redis-stress: ops=N overlaps=N lost-updates=N</c>. Clients are this same executable, run with the
/// hidden verb <c>redis-stress-client</c>.
/// </summary>
internal static class RedisStressCommand
{
    public const string ClientVerb = "redis-stress-client";

    public static Command Create()
    {
        var clients = new Option<int>("--clients") { Description = "client processes", DefaultValueFactory = _ => 4 };
        var duration = new Option<string>("--duration") { Description = "how long the clients run (e.g. 10s)", DefaultValueFactory = _ => "10s" };
        var endpoint = new Option<string?>("--endpoint") { Description = "HOST:PORT of an existing server (default: start a throwaway redis-server on loopback)" };
        var mode = new Option<string>("--mode") { Description = "writer (writer-preferring) or reader (reader-preferring)", DefaultValueFactory = _ => "writer" };
        var lease = new Option<string>("--lease") { Description = "lock lease (e.g. 2s)", DefaultValueFactory = _ => "2s" };
        var readFraction = new Option<double>("--read-fraction") { Description = "share of operations that are reads", DefaultValueFactory = _ => 0.5 };
        var killReader = new Option<bool>("--kill-reader") { Description = "kill -9 a reader inside its critical section" };
        var killWriter = new Option<bool>("--kill-writer") { Description = "kill -9 a writer inside its critical section" };
        var pauseWriter = new Option<bool>("--pause-writer") { Description = "SIGSTOP a writer past its lease, then SIGCONT it" };
        var restart = new Option<bool>("--restart-server") { Description = "restart redis-server mid-run" };
        var unfenced = new Option<bool>("--unfenced") { Description = "writers skip the fencing token (with --pause-writer the lost update must be detected)" };
        var seed = new Option<int?>("--seed") { Description = "seed of the clients' choices" };

        var command = new Command("redis-stress", "Multi-process stress of the Redis RW lock against a real redis-server.");
        foreach (var o in new Option[] { clients, duration, endpoint, mode, lease, readFraction, killReader, killWriter, pauseWriter, restart, unfenced, seed })
        {
            command.Options.Add(o);
        }
        command.SetAction(p => Guard.Run("redis-stress", () =>
        {
            var faults = RedisStressFaults.None;
            faults |= p.GetValue(killReader) ? RedisStressFaults.KillReader : 0;
            faults |= p.GetValue(killWriter) ? RedisStressFaults.KillWriter : 0;
            faults |= p.GetValue(pauseWriter) ? RedisStressFaults.PauseWriter : 0;
            faults |= p.GetValue(restart) ? RedisStressFaults.RestartServer : 0;
            var (exe, prefix) = SelfInvocation();
            var options = new RedisStressOptions
            {
                Clients = p.GetValue(clients),
                Duration = Durations.Parse(p.GetValue(duration)!),
                Endpoint = p.GetValue(endpoint),
                Mode = p.GetValue(mode) switch
                {
                    "writer" => RedisRwLockMode.WriterPreferring,
                    "reader" => RedisRwLockMode.ReaderPreferring,
                    var m => throw new UsageException($"unknown mode '{m}' (expected writer or reader)"),
                },
                Lease = Durations.Parse(p.GetValue(lease)!),
                ReadFraction = p.GetValue(readFraction),
                Faults = faults,
                Unfenced = p.GetValue(unfenced),
                ClientExecutable = exe,
                ClientArgumentPrefix = prefix,
                Seed = p.GetValue(seed) ?? Environment.TickCount,
            };
            return RedisStress.RunCoordinator(options, Console.Out);
        }));
        return command;
    }

    /// <summary>How to start this executable again as a client: the apphost directly, or dotnet + this dll.</summary>
    private static (string Exe, IReadOnlyList<string> Prefix) SelfInvocation()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var isDotnetHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var dll = Assembly.GetEntryAssembly()?.Location ?? throw new UsageException("cannot locate the rwharness assembly to start clients");
        return isDotnetHost ? (process, [dll, ClientVerb]) : (process, [ClientVerb]);
    }

}
