#!/usr/bin/python3
"""A stand-in desktop notification service (org.freedesktop.Notifications)
on the session bus in DBUS_SESSION_BUS_ADDRESS: prints "ready", then one line
of JSON per Notify call (app name, summary, body, actions, hints' keys).
Debian's python3-gi (already a UI test dependency)."""
import json
import sys

from gi.repository import Gio, GLib

XML = """<node><interface name='org.freedesktop.Notifications'>
<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>
<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>
<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>
<arg type='u' direction='out'/></method>
<method name='CloseNotification'><arg type='u' direction='in'/></method>
<method name='GetCapabilities'><arg type='as' direction='out'/></method>
<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>
<arg type='s' direction='out'/><arg type='s' direction='out'/></method>
</interface></node>"""

count = 0


def call(conn, sender, path, iface, method, params, invocation):
    global count
    if method == "Notify":
        app, _, _, summary, body, actions, hints, _ = params.unpack()
        count += 1
        print(json.dumps({"app": app, "summary": summary, "body": body, "actions": actions,
                          "hints": sorted(hints)}), flush=True)
        invocation.return_value(GLib.Variant("(u)", (count,)))
    elif method == "GetCapabilities":
        invocation.return_value(GLib.Variant("(as)", (["actions", "body"],)))
    elif method == "GetServerInformation":
        invocation.return_value(GLib.Variant("(ssss)", ("stand-in", "dnshunt", "1", "1.2")))
    else:
        invocation.return_value(None)


def main():
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    info = Gio.DBusNodeInfo.new_for_xml(XML)
    bus.register_object("/org/freedesktop/Notifications", info.interfaces[0], call, None, None)
    loop = GLib.MainLoop()

    def acquired(*args):
        print("ready", flush=True)

    Gio.bus_own_name_on_connection(bus, "org.freedesktop.Notifications",
                                   Gio.BusNameOwnerFlags.NONE, acquired, lambda *a: loop.quit())
    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.HUP | GLib.IOCondition.IN, lambda *a: loop.quit())
    loop.run()


if __name__ == "__main__":
    main()
