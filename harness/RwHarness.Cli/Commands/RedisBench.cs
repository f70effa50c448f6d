using System.Globalization;
using RwHarness.Locks.Redis;
using RwHarness.Reports;

namespace RwHarness.Cli.Commands;

/// <summary>
/// The Redis lock's part of <c>rwharness bench</c>: read and write lock cycles per second (acquire + release)
/// with 1 and 8 clients against a throwaway redis-server on loopback, with the release awaited and pipelined,
/// next to redis-benchmark's EVALSHA requests per second measured in the same run (before and after the cycles;
/// their mean is recorded). Appended to bench.json (workloads redis-read-cycle, redis-write-cycle,
/// redis-read-cycle-pipelined, redis-write-cycle-pipelined, redis-benchmark-evalsha, and redis-client-evalsha: the
/// same EVALSHA from this process's own client) and bench.html is rebuilt.
/// </summary>
internal static class RedisBench
{
    public static int Append(string dir, bool quick, TextWriter output)
    {
        if (RedisServerProcess.FindOnPath() is null)
        {
            output.WriteLine("redis: skipped (redis-server is not on PATH; apt-get install redis-server)");
            return ExitCodes.Ok;
        }
        var perCell = TimeSpan.FromSeconds(quick ? 2 : 5);
        using var server = RedisServerProcess.Start();
        var before = Evalsha();
        var cycles = RedisThroughput.MeasureAsync(server.Endpoint, perCell).GetAwaiter().GetResult();
        var after = before is null ? null : Evalsha();
        double? evalsha = before is not null && after is not null ? (before.RequestsPerSecond + after.RequestsPerSecond) / 2 : null;
        output.WriteLine($"redis: {cycles}");
        if (evalsha is not null)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"redis: redis-benchmark EVALSHA (1 client) {evalsha:0} requests/s (before {before!.RequestsPerSecond:0}, after {after!.RequestsPerSecond:0}); an awaited lock cycle is two round trips, a pipelined one awaits one"));
        }

        if (cycles.ClientEvalShaPerSecond1 > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"redis: the same EVALSHA from this process's client (StackExchange.Redis, 1 client) {cycles.ClientEvalShaPerSecond1:0} round trips/s: awaited-cycle ceiling {cycles.ClientEvalShaPerSecond1 / 2:0}/s"));
        }

        RedisBenchmarkResult? Evalsha()
        {
            try
            {
                return RedisThroughput.RunRedisBenchmarkEvalShaAsync(server.Endpoint, requests: quick ? 20_000 : 100_000).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                output.WriteLine($"redis: redis-benchmark could not run ({e.Message})");
                return null;
            }
        }

        var bench = BenchResults.Read(dir);
        void Add(string workload, int clients, double readRatio, double opsPerSec, string lockName = "redis-rwlock")
        {
            if (opsPerSec <= 0)
            {
                return;
            }
            var ns = 1e9 / opsPerSec;
            bench.Records.Add(new BenchRecord
            {
                Lock = lockName,
                Workload = workload,
                Threads = clients,
                ReadRatio = readRatio,
                OpsPerSec = opsPerSec,
                MeanNs = ns,
                CiLowerNs = ns,
                CiUpperNs = ns,
                Benchmark = "RedisThroughput",
            });
        }
        Add("redis-read-cycle", 1, 100, cycles.ReadCyclesPerSecond1);
        Add("redis-write-cycle", 1, 0, cycles.WriteCyclesPerSecond1);
        Add("redis-read-cycle", 8, 100, cycles.ReadCyclesPerSecond8);
        Add("redis-write-cycle", 8, 0, cycles.WriteCyclesPerSecond8);
        Add("redis-read-cycle-pipelined", 1, 100, cycles.PipelinedReadCyclesPerSecond1);
        Add("redis-write-cycle-pipelined", 1, 0, cycles.PipelinedWriteCyclesPerSecond1);
        Add("redis-read-cycle-pipelined", 8, 100, cycles.PipelinedReadCyclesPerSecond8);
        Add("redis-write-cycle-pipelined", 8, 0, cycles.PipelinedWriteCyclesPerSecond8);
        if (evalsha is not null)
        {
            Add("redis-benchmark-evalsha", 1, 100, evalsha.Value, "redis-benchmark");
        }
        Add("redis-client-evalsha", 1, 100, cycles.ClientEvalShaPerSecond1, "StackExchange.Redis");
        ReportWriter.WriteBench(dir, bench);
        return ExitCodes.Ok;
    }
}
