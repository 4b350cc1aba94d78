namespace MeshEdge.Config.Model;

public enum LoadBalancerPolicy
{
    RoundRobin,
}
