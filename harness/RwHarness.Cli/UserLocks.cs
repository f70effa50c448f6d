using System.Reflection;
using System.Runtime.Loader;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Cli;

/// <summary>
/// Locks from a user's assembly for the native engine: generic types <c>MyLock&lt;TSync&gt; : IRwLock</c>
/// written against ISync, with a public parameterless constructor. (Locks written with plain BCL primitives
/// need Coyote's rewriting: <c>--engine coyote --assembly</c>.)
/// </summary>
internal static class UserLocks
{
    public static IReadOnlyList<LockDescriptor> Load(IReadOnlyList<string> paths)
    {
        var list = new List<LockDescriptor>();
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                throw new UsageException($"no assembly at {path}");
            }
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(path));
            Type[] types;
            try
            {
                types = assembly.GetExportedTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                throw new UsageException($"cannot load the types of {path}: {e.LoaderExceptions.FirstOrDefault()?.Message}");
            }
            foreach (var t in types)
            {
                if (t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: true } && t.GetGenericArguments().Length == 1
                    && typeof(IRwLock).IsAssignableFrom(t.MakeGenericType(typeof(RealSync))) && t.GetConstructor(Type.EmptyTypes) is not null)
                {
                    list.Add(new UserGenericLock(t));
                }
            }
        }
        return list;
    }

    private sealed class UserGenericLock(Type definition) : LockDescriptor
    {
        public override string Name { get; } = definition.Name[..definition.Name.IndexOf('`')];

        public override string Description => $"user lock {definition.FullName} from {definition.Assembly.GetName().Name}";

        public override LockTraits Traits => LockTraits.SharedReaders;

        public override IRwLock Create<TSync>() => (IRwLock)Activator.CreateInstance(definition.MakeGenericType(typeof(TSync)))!;
    }
}
