using System.Runtime.InteropServices;

namespace BranchConnector.Agent.Mqtt.Native;

/// <summary>
/// Static entry points libmosquitto calls. The userdata pointer is a GCHandle to the client's
/// <see cref="IMosquittoEvents"/>; no delegate exists that the GC could collect. An exception must never
/// unwind into C, so each entry point catches and reports through the log callback path.
/// </summary>
internal static unsafe class MosquittoCallbacks
{
    [UnmanagedCallersOnly]
    internal static void OnConnect(IntPtr mosq, IntPtr userdata, int reasonCode, int flags, IntPtr properties) =>
        Dispatch(userdata, e => e.OnConnect(reasonCode));

    [UnmanagedCallersOnly]
    internal static void OnDisconnect(IntPtr mosq, IntPtr userdata, int reasonCode, IntPtr properties) =>
        Dispatch(userdata, e => e.OnDisconnect(reasonCode));

    [UnmanagedCallersOnly]
    internal static void OnMessage(IntPtr mosq, IntPtr userdata, MosquittoMessage* message, IntPtr properties)
    {
        var events = Resolve(userdata);
        if (events is null || message is null) return;
        try
        {
            var topic = Marshal.PtrToStringUTF8(message->Topic) ?? "";
            var payload = new ReadOnlySpan<byte>((void*)message->Payload, message->PayloadLength);
            events.OnMessage(topic, payload, message->Qos, message->Retain != 0);
        }
        catch (Exception ex)
        {
            Report(events, ex);
        }
    }

    [UnmanagedCallersOnly]
    internal static void OnSubscribe(IntPtr mosq, IntPtr userdata, int mid, int qosCount, int* grantedQos, IntPtr properties)
    {
        var granted = new int[Math.Max(qosCount, 0)];
        for (var i = 0; i < granted.Length; i++) granted[i] = grantedQos[i];
        Dispatch(userdata, e => e.OnSubscribe(mid, granted));
    }

    [UnmanagedCallersOnly]
    internal static void OnPublish(IntPtr mosq, IntPtr userdata, int mid, int reasonCode, IntPtr properties) =>
        Dispatch(userdata, e => e.OnPublish(mid, reasonCode));

    [UnmanagedCallersOnly]
    internal static void OnLog(IntPtr mosq, IntPtr userdata, int level, byte* text)
    {
        var message = Marshal.PtrToStringUTF8((IntPtr)text) ?? "";
        Dispatch(userdata, e => e.OnLog(level, message));
    }

    private static IMosquittoEvents? Resolve(IntPtr userdata) =>
        userdata == IntPtr.Zero ? null : GCHandle.FromIntPtr(userdata).Target as IMosquittoEvents;

    private static void Dispatch(IntPtr userdata, Action<IMosquittoEvents> action)
    {
        var events = Resolve(userdata);
        if (events is null) return;
        try
        {
            action(events);
        }
        catch (Exception ex)
        {
            Report(events, ex);
        }
    }

    private static void Report(IMosquittoEvents events, Exception ex)
    {
        try
        {
            events.OnLog(MosquittoConstants.LogErr, $"callback failed: {ex.GetType().Name}: {ex.Message}");
        }
        catch (Exception)
        {
            // Nothing may cross back into native code.
        }
    }
}
