# Shared by the end-to-end scripts (Tests/API, Tests/Browser, Tests/Interop), sourced with `.`
# after they set `here` (their folder), `root` (the repository) and `name` (how they sign their
# messages). A demo database in a private scratch folder, and `bridges serve` over it on a free
# loopback port; both are gone when the script exits.

# `bridges` made absolute from $1 (default: the debug build).
bridges=${1:-$root/.build/debug/bridges}
case $bridges in /*) ;; *) bridges=$(pwd)/$bridges ;; esac

work=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
chmod 700 "$work"

# Runs `bridges demo` in the scratch folder (which becomes the working folder); its output is in
# demo.out there.
make_demo() {
    cp -R "$root/Curricula" "$work/Curricula"
    cd "$work"
    "$bridges" demo >demo.out 2>&1 || { echo "$name: bridges demo failed"; cat demo.out; exit 1; }
}

# Starts `bridges serve --port 0` on the demo's database and sets `port` to where it listens.
start_server() {
    "$bridges" serve --port 0 2>serve.log &
    server=$!
    port=""
    for _ in $(seq 1 100); do
        port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\) .*|\1|p' serve.log)
        [ -n "$port" ] && break
        sleep 0.2
    done
    [ -n "$port" ] || { echo "$name: bridges serve did not start"; cat serve.log; exit 1; }
}
