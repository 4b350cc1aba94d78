namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>
/// systemd running as init in a systemd-nspawn container whose root is a <see cref="RootSandbox"/>
/// overlay: real unit starts with Type=notify, real hardening, real maintainer scripts with systemd up,
/// on a machine where systemd is not PID 1. Commands run inside with nsenter. Dispose halts it.
/// </summary>
internal sealed class SystemdContainer : IDisposable
{
    private readonly RootSandbox _sandbox;
    private bool _halted;

    private SystemdContainer(RootSandbox sandbox) => _sandbox = sandbox;

    internal static SystemdContainer Boot(RootSandbox sandbox)
    {
        HostTools.Ensure("systemd-container");
        // The container boots this machine's own root, whose enabled services (haproxy, nginx, databases
        // others installed) would start too and, sharing the network, take real ports. So systemd boots
        // to a target holding sysinit.target only: journald and early setup, no services, no sockets,
        // no timers. meshedge.service is started explicitly, as the postinst does.
        // nspawn keeps its state under /run: give it a tmpfs private to the namespace, so nothing lands
        // in the host's /run (which on these machines is a plain directory on the root filesystem).
        // The container mounts its own /dev, /proc, /sys, /run and /tmp, so the sandbox's come off first.
        var boot = sandbox.Host("""
            cat > "$ROOT/etc/systemd/system/meshedge-test.target" <<'EOF'
            [Unit]
            Description=MeshEdge packaging tests: early boot only, none of the machine's services
            Requires=sysinit.target
            After=sysinit.target
            AllowIsolate=yes
            EOF
            mount -t tmpfs -o mode=0755 sandbox-run /run
            umount -R "$ROOT/dev" "$ROOT/proc" "$ROOT/sys" "$ROOT/run" "$ROOT/tmp"
            systemd-nspawn --quiet --directory="$ROOT" --register=no --keep-unit --link-journal=no \
                --resolv-conf=off --timezone=off --machine="meshedge-test-$$" --console=pipe \
                --boot systemd.unit=meshedge-test.target \
                >"$SANDBOX/nspawn.log" 2>&1 </dev/null &
            nspawn=$!
            echo "$nspawn" > "$SANDBOX/nspawn.pid"
            # The container's init is the child of nspawn that lives in a new pid namespace.
            own=$(readlink /proc/self/ns/pid)
            for i in $(seq 1 200); do
                for child in $(cat /proc/$nspawn/task/*/children 2>/dev/null); do
                    if [ "$(readlink /proc/$child/ns/pid 2>/dev/null)" != "$own" ] && [ -n "$(readlink /proc/$child/ns/pid 2>/dev/null)" ]; then
                        echo "$child" > "$SANDBOX/init.pid"; echo "nspawn $nspawn, init $child"; exit 0
                    fi
                done
                kill -0 "$nspawn" 2>/dev/null || break
                sleep 0.1
            done
            echo "systemd-nspawn did not start a container"; cat "$SANDBOX/nspawn.log"; exit 1
            """);
        var container = new SystemdContainer(sandbox);
        if (boot.ExitCode != 0)
        {
            container.Dispose();
            Assert.Fail($"cannot boot systemd in a container\n{boot}");
        }

        // systemd marks itself up by creating /run/systemd/system; then wait for the boot to settle.
        var up = container.Exec("for i in $(seq 1 300); do [ -d /run/systemd/system ] && [ -S /run/systemd/private ] && break; sleep 0.1; done; timeout 90 systemctl is-system-running --wait", TimeSpan.FromMinutes(2));
        if (up.Stdout.Trim() is not ("running" or "degraded"))
        {
            var log = sandbox.Host("cat \"$SANDBOX/nspawn.log\"");
            container.Dispose();
            Assert.Fail($"systemd in the container did not finish booting\n{up}\n{log}");
        }

        if (up.Stdout.Trim() == "degraded")
        {
            container.Exec("systemctl --failed --no-pager");
        }

        // For the record (and to notice if anything else came up): what runs besides systemd itself.
        container.Exec("systemctl list-units --no-pager --no-legend --state=running --type=service,socket");

        return container;
    }

    /// <summary>Runs a POSIX shell script inside the container, with a clean environment.</summary>
    public CommandResult Exec(string script, TimeSpan? timeout = null) =>
        _sandbox.Host($"nsenter --target \"$(cat \"$SANDBOX/init.pid\")\" --mount --uts --ipc --pid -- /usr/bin/env -i PATH={Command.SystemPath} LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive SYSTEMD_PAGER= /bin/sh -c {Command.Quote(script)}", timeout);

    /// <summary>The unit's journal, message text only.</summary>
    public string Journal(string unit) => Exec($"journalctl --no-pager -o cat -u {unit}").Stdout;

    /// <summary>Halts the container (SIGTERM to nspawn = orderly poweroff), SIGKILL if it lingers; then the sandbox is usable again.</summary>
    public void Dispose()
    {
        if (_halted)
        {
            return;
        }

        _halted = true;
        _sandbox.Host("""
            # Alive = exists and is not a zombie (an orphan's reaper may take its time).
            alive() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
            nspawn=$(cat "$SANDBOX/nspawn.pid" 2>/dev/null) || exit 0
            kill -TERM "$nspawn" 2>/dev/null
            for i in $(seq 1 200); do alive "$nspawn" || break; sleep 0.1; done
            alive "$nspawn" && kill -KILL "$nspawn" 2>/dev/null
            for i in $(seq 1 50); do alive "$nspawn" || break; sleep 0.1; done
            rm -f "$SANDBOX/nspawn.pid" "$SANDBOX/init.pid"
            for d in dev proc sys; do mount --rbind "/$d" "$ROOT/$d"; done
            mount -t tmpfs -o mode=0755 tmpfs "$ROOT/run"
            mount -t tmpfs -o mode=1777 tmpfs "$ROOT/tmp"
            umount /run
            """, TimeSpan.FromSeconds(60));
    }
}
