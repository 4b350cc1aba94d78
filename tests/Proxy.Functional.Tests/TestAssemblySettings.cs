// The tests share two cores with the proxy they drive; running them one at a time keeps RSS readings,
// stall detection and drain timing about the proxy under test rather than about its neighbours.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
