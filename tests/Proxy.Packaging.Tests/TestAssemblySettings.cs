// The tests install packages, run lintian and drive proxies on a two-core machine; one at a time
// keeps each within its timeouts and their logs readable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
