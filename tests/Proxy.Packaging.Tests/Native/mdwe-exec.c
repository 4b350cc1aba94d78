/*
 * mdwe-exec PROGRAM [ARGS...]: runs PROGRAM with the kernel's memory-deny-write-execute policy
 * (prctl PR_SET_MDWE, Linux 6.3+), the kernel counterpart of systemd's MemoryDenyWriteExecute=:
 * no mapping may be writable and executable, and none may become executable later. The policy
 * survives execve. "mdwe-exec --self-test" checks that the policy really refuses a W+X mapping.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mdwe-exec PROGRAM [ARGS...] | mdwe-exec --self-test\n");
        return 127;
    }
    if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0L, 0L, 0L) != 0) {
        fprintf(stderr, "mdwe-exec: prctl(PR_SET_MDWE): %s (needs Linux 6.3 or later)\n", strerror(errno));
        return 126;
    }
    if (strcmp(argv[1], "--self-test") == 0) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) {
            fprintf(stderr, "mdwe-exec: a writable+executable mapping was allowed\n");
            return 1;
        }
        printf("mdwe refuses W+X mappings: %s\n", strerror(errno));
        return 0;
    }
    execv(argv[1], argv + 1);
    fprintf(stderr, "mdwe-exec: execv %s: %s\n", argv[1], strerror(errno));
    return 127;
}
