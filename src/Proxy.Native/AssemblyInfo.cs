using System.Runtime.CompilerServices;

// Stack buffers (iovec arrays, sockaddrs) are always written before they are read; zeroing them
// on every call would be wasted work on the data path.
[module: SkipLocalsInit]
