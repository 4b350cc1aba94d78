namespace MeshEdge.Config.Model;

/// <summary>
/// What a route hashes for the consistent-hashing balancers (ring_hash, maglev): a request header's
/// value, a cookie's value, or the client's IP address. A request without the header or cookie gets
/// a random key, as in Envoy; a route without a hash policy always does.
/// </summary>
public sealed record HashPolicyConfig(HashPolicyKind Kind, string Name);
