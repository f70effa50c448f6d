using NUnit.Framework;

namespace RwHarness.Locks.Redis.Tests;

/// <summary>The measurement helpers return positive numbers. Not a performance test: nothing is compared with a target.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class RedisThroughputTests
{
    [Test]
    public async Task Lock_cycle_measurement_returns_positive_rates()
    {
        RedisFixture.RequireServer();
        var result = await RedisThroughput.MeasureAsync(RedisFixture.Server.Endpoint, TimeSpan.FromMilliseconds(300));
        TestContext.Out.WriteLine(result.ToString());
        Assert.That(result.ReadCyclesPerSecond1, Is.GreaterThan(0));
        Assert.That(result.WriteCyclesPerSecond1, Is.GreaterThan(0));
        Assert.That(result.ReadCyclesPerSecond8, Is.GreaterThan(0));
        Assert.That(result.WriteCyclesPerSecond8, Is.GreaterThan(0));
        Assert.That(result.PipelinedReadCyclesPerSecond1, Is.GreaterThan(0));
        Assert.That(result.PipelinedWriteCyclesPerSecond1, Is.GreaterThan(0));
        Assert.That(result.PipelinedReadCyclesPerSecond8, Is.GreaterThan(0));
        Assert.That(result.PipelinedWriteCyclesPerSecond8, Is.GreaterThan(0));
        Assert.That(result.ClientEvalShaPerSecond1, Is.GreaterThan(0));
    }

    [Test]
    public async Task Redis_benchmark_evalsha_rate_is_parsed()
    {
        RedisFixture.RequireServer();
        if (RedisServerProcess.FindOnPath("redis-benchmark") is null)
        {
            Assert.Ignore("redis-benchmark is not on PATH");
        }

        var result = await RedisThroughput.RunRedisBenchmarkEvalShaAsync(RedisFixture.Server.Endpoint, requests: 2000);
        TestContext.Out.WriteLine($"{result.Command}: {result.RequestsPerSecond} requests/s");
        Assert.That(result.RequestsPerSecond, Is.GreaterThan(0));
    }

    [Test]
    public void Csv_parser_reads_the_rps_column()
    {
        const string csv = "\"test\",\"rps\",\"avg_latency_ms\"\n\"EVALSHA abc 3 a b c tok 10000 w\",\"8639.31\",\"0.109\"\n";
        Assert.That(RedisThroughput.ParseCsvRequestsPerSecond(csv), Is.EqualTo(8639.31));
    }
}
