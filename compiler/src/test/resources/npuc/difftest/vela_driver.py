"""Compiles many models with an installed Vela in one Python process, for npuc's differential tests.

Reads one JSON request per line on stdin and answers each with one JSON line on stdout:
  request: {"args": [Vela command-line arguments], "timeout": seconds}
  answer:  {"rc": exit code, "seconds": time, "output": Vela's printed text, "crash": null or
            {"type": exception type, "message": ..., "site": "file:function" of the innermost frame}}
The first line it writes is {"ready": true, "version": "<Vela version>"} or {"ready": false, "reason": ...}.
Vela keeps tensor addresses and its debug database in class attributes; both are cleared before every
compile, so each compile starts as a fresh process would. Vela prints through file objects it bound at
import, so its output is caught where it lands: file descriptors 1 and 2 point at a capture file, and the
answers go to a copy of the original standard output.
"""
import json
import os
import signal
import sys
import tempfile
import time
import traceback


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout("compile took longer than its timeout")


def answer(out, obj):
    out.write(json.dumps(obj) + "\n")
    out.flush()


def main():
    out = os.fdopen(os.dup(1), "w")
    capture = tempfile.TemporaryFile()
    os.dup2(capture.fileno(), 1)
    os.dup2(capture.fileno(), 2)
    try:
        from ethosu.vela import vela
        from ethosu.vela.debug_database import DebugDatabase
        from ethosu.vela.tensor import TensorAddressMap
        from ethosu.vela._version import __version__
    except Exception as e:  # no Vela, or one that does not import: say why and stop
        answer(out, {"ready": False, "reason": "%s: %s" % (type(e).__name__, e)})
        return 0
    answer(out, {"ready": True, "version": __version__})
    signal.signal(signal.SIGALRM, on_alarm)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        TensorAddressMap.clear_address_map()
        DebugDatabase.clean_db()
        sys.stdout.flush()
        sys.stderr.flush()
        capture.seek(0)
        capture.truncate()
        crash = None
        start = time.time()
        signal.alarm(int(request.get("timeout", 300)))
        try:
            rc = vela.main(request["args"])
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 2
        except BaseException as e:  # Vela's asserts and bugs: the crash is the answer
            rc = 1
            frame = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
            crash = {"type": type(e).__name__, "message": str(e)[:500],
                     "site": "%s:%s" % (os.path.basename(frame.filename), frame.name) if frame else ""}
        finally:
            signal.alarm(0)
        seconds = time.time() - start
        sys.stdout.flush()
        sys.stderr.flush()
        capture.seek(0)
        text = capture.read().decode("utf-8", "replace")
        answer(out, {"rc": rc, "seconds": seconds, "output": text[-20000:], "crash": crash})
    return 0


if __name__ == "__main__":
    sys.exit(main())
