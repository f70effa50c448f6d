using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RwHarness.Locks.Redis;

/// <summary>
/// A throwaway <c>redis-server</c> for tests, the stress and benchmarks: loopback only, a free port, its
/// own temporary directory, no persistence (<c>--save '' --appendonly no</c>). Stopped (and its directory
/// deleted) on Dispose. <see cref="RestartAsync"/> stops it with SHUTDOWN SAVE and starts it again on the
/// same port and directory, so data survives the restart while every client connection drops.
/// </summary>
public sealed class RedisServerProcess : IDisposable
{
    private Process? process;

    private RedisServerProcess(string executable, int port, string directory)
    {
        Executable = executable;
        Port = port;
        DataDirectory = directory;
    }

    public string Executable { get; }

    public int Port { get; }

    public string DataDirectory { get; }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public int? ProcessId => process is { HasExited: false } p ? p.Id : null;

    /// <summary>Full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name = "redis-server")
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts a server (retrying on a port race); throws when it does not answer PING within <paramref name="startTimeout"/>.</summary>
    public static RedisServerProcess Start(string? executable = null, TimeSpan? startTimeout = null)
    {
        executable ??= FindOnPath() ?? throw new FileNotFoundException("redis-server is not on PATH");
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("rwh-redis-").FullName;
            var server = new RedisServerProcess(executable, FreePort(), directory);
            try
            {
                server.Launch(startTimeout ?? TimeSpan.FromSeconds(10));
                return server;
            }
            catch (Exception e) when (e is IOException or SocketException or TimeoutException)
            {
                last = e;
                server.Dispose();
            }
        }

        throw new IOException("could not start redis-server", last);
    }

    /// <summary>SHUTDOWN SAVE, wait <paramref name="downtime"/>, start again on the same port and directory.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        try
        {
            await SendAsync("SHUTDOWN SAVE").ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // Closing the connection is how SHUTDOWN answers.
        }

        if (process is { } p && !p.WaitForExit(10_000))
        {
            p.Kill();
            p.WaitForExit(5_000);
        }

        await Task.Delay(downtime).ConfigureAwait(false);
        Launch(TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        if (process is { } p)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit(5_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
            process = null;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Sends one inline command and returns the first reply line.</summary>
    public async Task<string> SendAsync(string inlineCommand)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(IPAddress.Loopback, Port, cts.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(inlineCommand + "\r\n"), cts.Token).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync(cts.Token).ConfigureAwait(false) ?? string.Empty;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void Launch(TimeSpan startTimeout)
    {
        var info = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = DataDirectory,
        };
        foreach (var arg in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", DataDirectory,
            "--save", string.Empty,
            "--appendonly", "no",
            "--daemonize", "no",
            "--protected-mode", "yes",
            "--loglevel", "warning",
        })
        {
            info.ArgumentList.Add(arg);
        }

        var p = Process.Start(info) ?? throw new IOException("redis-server did not start");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        process = p;
        var deadline = Stopwatch.GetTimestamp() + (long)(startTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (p.HasExited)
            {
                throw new IOException($"redis-server exited with code {p.ExitCode} on port {Port}");
            }

            try
            {
                if (SendAsync("PING").GetAwaiter().GetResult() == "+PONG")
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }

            Thread.Sleep(50);
        }

        p.Kill();
        throw new TimeoutException($"redis-server on port {Port} did not answer PING within {startTimeout.TotalSeconds:0} s");
    }
}
