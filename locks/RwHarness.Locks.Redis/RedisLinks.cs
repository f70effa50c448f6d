using System.Diagnostics;
using StackExchange.Redis;

namespace RwHarness.Locks.Redis;

/// <summary>Waiting for a multiplexer's connections, which come up after Connect returns when AbortOnConnectFail is off.</summary>
internal static class RedisLinks
{
    /// <summary>Returns once the interactive and the subscription link are connected, or when <paramref name="limit"/> has passed.</summary>
    public static async Task WaitUntilUpAsync(IConnectionMultiplexer mux, RedisChannel channel, TimeSpan limit, CancellationToken cancellationToken)
    {
        var subscriber = mux.GetSubscriber();
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (!(mux.IsConnected && subscriber.IsConnected(channel)) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }
}
