# dbops: prints one JSON object per line for each play, task start and task result, so the action
# service can stream what Ansible does into a run's log as it happens.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import sys

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: dbops_jsonl
    type: stdout
    short_description: one JSON line per play, task and result (for the dbops action service)
    description:
      - Writes each event as a JSON object on its own line on stdout.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'dbops_jsonl'

    def _emit(self, **event):
        sys.stdout.write(json.dumps(event, default=str) + "\n")
        sys.stdout.flush()

    def v2_playbook_on_play_start(self, play):
        self._emit(event="play", name=play.get_name())

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._emit(event="task", name=task.get_name())

    def _result(self, status, result):
        r = result._result
        self._emit(event="result", status=status, host=result._host.get_name(), task=result._task.get_name(),
                   changed=bool(r.get("changed", False)), msg=r.get("msg"), rc=r.get("rc"),
                   stdout=(r.get("stdout") or "")[-2000:], stderr=(r.get("stderr") or "")[-2000:])

    def v2_runner_on_ok(self, result):
        self._result("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result("ignored" if ignore_errors else "failed", result)

    def v2_runner_on_skipped(self, result):
        self._result("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._result("unreachable", result)

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed.keys())
        self._emit(event="stats", hosts={h: stats.summarize(h) for h in hosts})
