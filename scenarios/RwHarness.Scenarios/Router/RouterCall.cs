namespace RwHarness.Scenarios.Router;

/// <summary>One call a router thread makes: <c>Add(a=p1)</c>, <c>Delete(a)</c> or <c>Query(a)</c>.</summary>
public sealed record RouterCall(string Op, string Socket, string? PeerName = null)
{
    public static RouterCall Add(string socket, string peer) => new(Linearizability.SequentialDictionary.Add, socket, peer);

    public static RouterCall Delete(string socket) => new(Linearizability.SequentialDictionary.Delete, socket);

    public static RouterCall Query(string socket) => new(Linearizability.SequentialDictionary.Query, socket);

    public override string ToString() => PeerName is null ? $"{Op}({Socket})" : $"{Op}({Socket}={PeerName})";
}
