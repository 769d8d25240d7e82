using System.Runtime.InteropServices;

namespace BranchConnector.Agent.Mqtt.Native;

/// <summary>
/// The libmosquitto 2.0 entry points the session uses, declared against Debian's libmosquitto1. Callbacks are
/// unmanaged function pointers to static methods, so nothing the native side holds can be collected.
/// </summary>
internal static unsafe partial class MosquittoNative
{
    private const string Library = "libmosquitto.so.1";

    [LibraryImport(Library, EntryPoint = "mosquitto_lib_init")]
    internal static partial int LibInit();

    [LibraryImport(Library, EntryPoint = "mosquitto_lib_version")]
    internal static partial int LibVersion(out int major, out int minor, out int revision);

    [LibraryImport(Library, EntryPoint = "mosquitto_new", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr New(string id, [MarshalAs(UnmanagedType.U1)] bool cleanSession, IntPtr userdata);

    [LibraryImport(Library, EntryPoint = "mosquitto_destroy")]
    internal static partial void Destroy(IntPtr mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_int_option")]
    internal static partial int IntOption(MosquittoHandle mosq, int option, int value);

    [LibraryImport(Library, EntryPoint = "mosquitto_threaded_set")]
    internal static partial int ThreadedSet(MosquittoHandle mosq, [MarshalAs(UnmanagedType.U1)] bool threaded);

    [LibraryImport(Library, EntryPoint = "mosquitto_username_pw_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int UsernamePwSet(MosquittoHandle mosq, string? username, string? password);

    [LibraryImport(Library, EntryPoint = "mosquitto_socks5_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Socks5Set(MosquittoHandle mosq, string host, int port, string? username, string? password);

    [LibraryImport(Library, EntryPoint = "mosquitto_tls_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TlsSet(MosquittoHandle mosq, string? cafile, string? capath, string? certfile, string? keyfile, IntPtr passwordCallback);

    [LibraryImport(Library, EntryPoint = "mosquitto_will_set_v5", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int WillSetV5(MosquittoHandle mosq, string topic, int payloadLength, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain, IntPtr properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_connect_bind_v5", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int ConnectBindV5(MosquittoHandle mosq, string host, int port, int keepalive, string? bindAddress, IntPtr properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_loop", SetLastError = true)]
    internal static partial int Loop(MosquittoHandle mosq, int timeoutMs, int maxPackets);

    [LibraryImport(Library, EntryPoint = "mosquitto_publish_v5", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PublishV5(MosquittoHandle mosq, out int mid, string topic, int payloadLength, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain, IntPtr properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_subscribe_v5", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SubscribeV5(MosquittoHandle mosq, out int mid, string filter, int qos, int options, IntPtr properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_disconnect_v5")]
    internal static partial int DisconnectV5(MosquittoHandle mosq, int reasonCode, IntPtr properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_connect_v5_callback_set")]
    internal static partial void ConnectV5CallbackSet(MosquittoHandle mosq, delegate* unmanaged<IntPtr, IntPtr, int, int, IntPtr, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_disconnect_v5_callback_set")]
    internal static partial void DisconnectV5CallbackSet(MosquittoHandle mosq, delegate* unmanaged<IntPtr, IntPtr, int, IntPtr, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_message_v5_callback_set")]
    internal static partial void MessageV5CallbackSet(MosquittoHandle mosq, delegate* unmanaged<IntPtr, IntPtr, MosquittoMessage*, IntPtr, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_subscribe_v5_callback_set")]
    internal static partial void SubscribeV5CallbackSet(MosquittoHandle mosq, delegate* unmanaged<IntPtr, IntPtr, int, int, int*, IntPtr, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_publish_v5_callback_set")]
    internal static partial void PublishV5CallbackSet(MosquittoHandle mosq, delegate* unmanaged<IntPtr, IntPtr, int, int, IntPtr, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_log_callback_set")]
    internal static partial void LogCallbackSet(MosquittoHandle mosq, delegate* unmanaged<IntPtr, IntPtr, int, byte*, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_property_add_int32")]
    internal static partial int PropertyAddInt32(ref IntPtr properties, int identifier, uint value);

    [LibraryImport(Library, EntryPoint = "mosquitto_property_free_all")]
    internal static partial void PropertyFreeAll(ref IntPtr properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_strerror")]
    internal static partial IntPtr StrError(int error);

    [LibraryImport(Library, EntryPoint = "mosquitto_reason_string")]
    internal static partial IntPtr ReasonString(int reasonCode);
}
