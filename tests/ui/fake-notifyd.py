#!/usr/bin/python3
# fake-notifyd.py: a stand-in desktop notification server for the tests
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Owns org.freedesktop.Notifications on the session bus and serves the freedesktop
# notification interface at /org/freedesktop/Notifications, which is what GLib's
# GNotification "freedesktop" backend talks to. Every call is appended to the file named by
# $NOTIFY_LOG as one JSON object per line:
#   {"method": "Notify", "id": 3, "replaces_id": 2, "app_name": ..., "summary": ...,
#    "body": ..., "actions": [...], "hints": {...}, "expire_timeout": -1}
#   {"method": "CloseNotification", "id": 3}
# A second interface lets a test play the user: InvokeAction(id, action_key) emits
# ActionInvoked(id, action_key), as clicking a notification (key "default") or one of its
# buttons does.
#
# It exits on SIGTERM or SIGINT, when it loses (or cannot get) the name, and when the process
# that started it goes away, so that a crashed test leaves nothing behind.

import json
import os
import signal
import sys

from gi.repository import Gio, GLib

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
TEST_INTERFACE = "io.github.audiencepush.TestNotifications"

INTROSPECTION = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="GetCapabilities">
      <arg type="as" name="capabilities" direction="out"/>
    </method>
    <method name="Notify">
      <arg type="s" name="app_name" direction="in"/>
      <arg type="u" name="replaces_id" direction="in"/>
      <arg type="s" name="app_icon" direction="in"/>
      <arg type="s" name="summary" direction="in"/>
      <arg type="s" name="body" direction="in"/>
      <arg type="as" name="actions" direction="in"/>
      <arg type="a{sv}" name="hints" direction="in"/>
      <arg type="i" name="expire_timeout" direction="in"/>
      <arg type="u" name="id" direction="out"/>
    </method>
    <method name="CloseNotification">
      <arg type="u" name="id" direction="in"/>
    </method>
    <method name="GetServerInformation">
      <arg type="s" name="name" direction="out"/>
      <arg type="s" name="vendor" direction="out"/>
      <arg type="s" name="version" direction="out"/>
      <arg type="s" name="spec_version" direction="out"/>
    </method>
    <signal name="NotificationClosed">
      <arg type="u" name="id"/>
      <arg type="u" name="reason"/>
    </signal>
    <signal name="ActionInvoked">
      <arg type="u" name="id"/>
      <arg type="s" name="action_key"/>
    </signal>
  </interface>
  <interface name="io.github.audiencepush.TestNotifications">
    <method name="InvokeAction">
      <arg type="u" name="id" direction="in"/>
      <arg type="s" name="action_key" direction="in"/>
    </method>
  </interface>
</node>
"""


class FakeServer:
    def __init__(self, log_path):
        self.log_path = log_path
        self.next_id = 1
        self.connection = None
        self.loop = GLib.MainLoop()
        self.status = 0

    def log(self, entry):
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry, default=str) + "\n")

    def emit(self, name, value):
        self.connection.emit_signal(None, OBJECT_PATH, BUS_NAME, name, value)

    def method_call(self, connection, sender, path, interface, method, parameters, invocation):
        args = parameters.unpack()

        if interface == TEST_INTERFACE and method == "InvokeAction":
            self.emit("ActionInvoked", GLib.Variant("(us)", args))
            invocation.return_value(None)
        elif method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["actions", "body", "persistence"],)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)", ("fake-notifyd", "Audience Push tests",
                                                            "1.0", "1.2")))
        elif method == "Notify":
            app_name, replaces_id, app_icon, summary, body, actions, hints, expire = args
            if replaces_id != 0:
                notification_id = replaces_id
            else:
                notification_id = self.next_id
                self.next_id += 1
            self.log({"method": "Notify", "id": notification_id, "replaces_id": replaces_id,
                      "sender": sender, "app_name": app_name, "app_icon": app_icon,
                      "summary": summary, "body": body, "actions": actions,
                      "hints": hints, "expire_timeout": expire})
            invocation.return_value(GLib.Variant("(u)", (notification_id,)))
        elif method == "CloseNotification":
            (notification_id,) = args
            self.log({"method": "CloseNotification", "id": notification_id, "sender": sender})
            invocation.return_value(None)
            # 3: closed by a call to CloseNotification
            self.emit("NotificationClosed", GLib.Variant("(uu)", (notification_id, 3)))
        else:
            invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", method)

    def bus_acquired(self, connection, name):
        self.connection = connection
        node = Gio.DBusNodeInfo.new_for_xml(INTROSPECTION)
        for interface in node.interfaces:
            connection.register_object(OBJECT_PATH, interface, self.method_call, None, None)

    def name_acquired(self, connection, name):
        print("fake-notifyd: serving " + name, file=sys.stderr, flush=True)

    def name_lost(self, connection, name):
        print("fake-notifyd: could not own " + name, file=sys.stderr, flush=True)
        self.status = 2
        self.loop.quit()

    def run(self):
        parent = os.getppid()

        def parent_gone():
            if os.getppid() != parent:
                self.loop.quit()
                return GLib.SOURCE_REMOVE
            return GLib.SOURCE_CONTINUE

        def stop():
            self.loop.quit()
            return GLib.SOURCE_REMOVE

        GLib.timeout_add(500, parent_gone)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, stop)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, stop)
        Gio.bus_own_name(Gio.BusType.SESSION, BUS_NAME, Gio.BusNameOwnerFlags.DO_NOT_QUEUE,
                         self.bus_acquired, self.name_acquired, self.name_lost)
        self.loop.run()
        return self.status


def main():
    log_path = os.environ.get("NOTIFY_LOG")
    if not log_path:
        print("fake-notifyd: set NOTIFY_LOG to the log file", file=sys.stderr)
        return 1
    return FakeServer(log_path).run()


if __name__ == "__main__":
    sys.exit(main())
