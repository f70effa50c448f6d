using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Coyote;

/// <summary>
/// Bring your own lock (<c>rwharness check --engine coyote --assembly PATH</c>): a user's lock written with
/// plain BCL primitives (Interlocked, Volatile, Monitor, SemaphoreSlim) and implementing only
/// <see cref="IRwLock"/>. The user's assembly is copied (with the files beside it) to a temporary
/// directory, the COPY is rewritten by the Coyote rewriter (the original is never touched), loaded into its
/// own AssemblyLoadContext, and every public non-abstract IRwLock type with a public parameterless
/// constructor becomes a <see cref="LockDescriptor"/>.
/// </summary>
public static class UserAssemblyLocks
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, IReadOnlyList<LockDescriptor>> Loaded = new(StringComparer.Ordinal);

    /// <summary>Loads the lock types of the assembly at <paramref name="path"/>, rewritten for Coyote.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidOperationException">The rewriter failed or could not be found.</exception>
    public static IReadOnlyList<LockDescriptor> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"no assembly at {full}", full);
        }
        var key = $"{full}|{File.GetLastWriteTimeUtc(full).Ticks}";
        lock (Gate)
        {
            if (Loaded.TryGetValue(key, out var cached))
            {
                return cached;
            }
            var dir = CopyBeside(full);
            var copy = Path.Combine(dir, Path.GetFileName(full));
            Rewrite(dir, copy);
            var context = new UserLockLoadContext(dir);
            var assembly = context.LoadFromAssemblyPath(copy);
            var locks = Discover(assembly);
            Loaded[key] = locks;
            return locks;
        }
    }

    /// <summary>The lock types an assembly offers, as descriptors (public, non-abstract, IRwLock, parameterless constructor).</summary>
    public static IReadOnlyList<LockDescriptor> Discover(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }
        return types
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
                && typeof(IRwLock).IsAssignableFrom(t)
                && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (LockDescriptor)new UserLockDescriptor(t))
            .ToList();
    }

    /// <summary>Copies the assembly and the files beside it to a fresh temporary directory.</summary>
    private static string CopyBeside(string assemblyPath)
    {
        var source = Path.GetDirectoryName(assemblyPath)!;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(assemblyPath + File.GetLastWriteTimeUtc(assemblyPath).Ticks)))[..12];
        var dir = Path.Combine(Path.GetTempPath(), "rwharness-coyote", $"{Path.GetFileNameWithoutExtension(assemblyPath)}-{hash}-{Environment.ProcessId}");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            var ext = Path.GetExtension(file);
            if (ext is ".dll" or ".pdb" or ".json")
            {
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
            }
        }
        return dir;
    }

    /// <summary>Rewrites, in the copy directory, the user's assembly and its own dependencies (not the harness, Coyote or the framework).</summary>
    private static void Rewrite(string dir, string assemblyCopy)
    {
        var targets = Directory.EnumerateFiles(dir, "*.dll")
            .Select(Path.GetFileName)
            .Where(n => n is not null && (n == Path.GetFileName(assemblyCopy) || !IsShared(Path.GetFileNameWithoutExtension(n))))
            .ToList();
        var config = new Dictionary<string, object>
        {
            ["AssembliesPath"] = dir,
            ["OutputPath"] = dir,
            ["Assemblies"] = targets,
        };
        var configPath = Path.Combine(dir, "rewrite.coyote.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(config));

        var tool = FindRewriter();
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--roll-forward");
        psi.ArgumentList.Add("Major");
        psi.ArgumentList.Add(tool);
        psi.ArgumentList.Add("rewrite");
        psi.ArgumentList.Add(configPath);
        psi.Environment["COYOTE_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the Coyote rewriter");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("the Coyote rewriter did not finish within 2 minutes");
        }
        var output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0 || output.Contains("Error", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the Coyote rewriter failed on {assemblyCopy} (exit {process.ExitCode}): {output.Trim()}");
        }
    }

    private static bool IsShared(string name) =>
        name.StartsWith("RwHarness.", StringComparison.Ordinal)
        || name.StartsWith("Microsoft.", StringComparison.Ordinal)
        || name.StartsWith("System.", StringComparison.Ordinal)
        || name is "netstandard" or "mscorlib" or "Mono.Cecil";

    private static string DotnetHost()
    {
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli))
        {
            return fromCli;
        }
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            return process;
        }
        return "dotnet";
    }

    /// <summary>
    /// The rewriter: shipped beside this library (coyote-tool/coyote.dll), else RWH_COYOTE_TOOL, else the
    /// NuGet package folder recorded at build time.
    /// </summary>
    internal static string FindRewriter()
    {
        var candidates = new List<string?>
        {
            Path.Combine(AppContext.BaseDirectory, "coyote-tool", "coyote.dll"),
            Path.Combine(Path.GetDirectoryName(typeof(UserAssemblyLocks).Assembly.Location) ?? "", "coyote-tool", "coyote.dll"),
            Environment.GetEnvironmentVariable("RWH_COYOTE_TOOL"),
            typeof(UserAssemblyLocks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "CoyoteToolPath")?.Value,
        };
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c))
            ?? throw new InvalidOperationException("the Coyote rewriter (coyote.dll of Microsoft.Coyote.Tool) was not found; set RWH_COYOTE_TOOL");
    }

    /// <summary>Loads the rewritten copies; RwHarness, Coyote and the framework come from the host, so IRwLock is one type.</summary>
    private sealed class UserLockLoadContext(string directory) : AssemblyLoadContext($"rwharness-user:{directory}", isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is null || IsShared(assemblyName.Name))
            {
                return null;
            }
            var path = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}

/// <summary>
/// A user's lock type from a rewritten assembly. <see cref="Create{TSync}"/> ignores the backend and
/// returns <c>new T()</c>: the lock uses plain BCL primitives, which the rewritten assembly routes to Coyote.
/// CoyoteRunner turns on Coyote's BCL race checking for these, so every Interlocked/Volatile/Monitor call
/// is a scheduling point.
/// </summary>
public sealed class UserLockDescriptor : LockDescriptor
{
    public UserLockDescriptor(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        LockType = type;
        Name = KebabCase(type.Name);
    }

    public Type LockType { get; }

    public override string Name { get; }

    public override string Description => $"user lock {LockType.FullName} from {Path.GetFileName(LockType.Assembly.Location)} (rewritten for Coyote)";

    /// <summary>Nothing is known about a user's lock beyond IRwLock.</summary>
    public override LockTraits Traits => LockTraits.None;

    public override IRwLock Create<TSync>() => (IRwLock)Activator.CreateInstance(LockType)!;

    /// <summary>BuggyBclRwLock -> buggy-bcl-rw-lock.</summary>
    internal static string KebabCase(string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                sb.Append('-');
            }
            if (c is '`' or ':')
            {
                break;
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
