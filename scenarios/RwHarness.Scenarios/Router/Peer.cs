namespace RwHarness.Scenarios.Router;

/// <summary>A peer of the mesh (seed 000: <c>Peer{socket, connection}</c>); the connection is a closed flag.</summary>
public sealed class Peer(string socket, string name)
{
    /// <summary>1 once the router dropped this peer and closed its connection. Written through ISync.</summary>
    internal int closed;

    /// <summary>The address the router files the peer under, e.g. <c>a</c> for 127.0.0.1:4000.</summary>
    public string Socket { get; } = socket;

    /// <summary>The name histories print as the value stored for <see cref="Socket"/>.</summary>
    public string Name { get; } = name;

    public bool Closed => Volatile.Read(ref closed) == 1;

    public override string ToString() => $"{Name}@{Socket}";
}
