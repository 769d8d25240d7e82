using System.Runtime.InteropServices;

namespace BranchConnector.Agent.Mqtt.Native;

/// <summary>
/// One libmosquitto client object: MQTT 5, a fixed client id, clean start off, driven by the caller's own loop
/// thread (threaded mode "external": publishes from other threads only queue and wake the loop).
/// Every method returns the libmosquitto error code; the session turns codes into words.
/// </summary>
internal sealed unsafe class MosquittoClient : IDisposable
{
    private readonly MosquittoHandle _handle;
    private GCHandle _events;

    public MosquittoClient(string clientId, IMosquittoEvents events)
    {
        MosquittoLibrary.EnsureInitialised();
        _events = GCHandle.Alloc(events);
        var raw = MosquittoNative.New(clientId, cleanSession: false, GCHandle.ToIntPtr(_events));
        if (raw == IntPtr.Zero)
        {
            _events.Free();
            throw new InvalidOperationException("mosquitto_new failed (out of memory or invalid client id)");
        }
        _handle = new MosquittoHandle(raw);
        Check(MosquittoNative.IntOption(_handle, MosquittoConstants.OptProtocolVersion, MosquittoConstants.ProtocolV5), "protocol version");
        Check(MosquittoNative.ThreadedSet(_handle, true), "threaded mode");
        MosquittoNative.ConnectV5CallbackSet(_handle, &MosquittoCallbacks.OnConnect);
        MosquittoNative.DisconnectV5CallbackSet(_handle, &MosquittoCallbacks.OnDisconnect);
        MosquittoNative.MessageV5CallbackSet(_handle, &MosquittoCallbacks.OnMessage);
        MosquittoNative.SubscribeV5CallbackSet(_handle, &MosquittoCallbacks.OnSubscribe);
        MosquittoNative.PublishV5CallbackSet(_handle, &MosquittoCallbacks.OnPublish);
        MosquittoNative.LogCallbackSet(_handle, &MosquittoCallbacks.OnLog);
    }

    public bool UsesTls { get; private set; }

    public int SetCredentials(string? username, string? password) => MosquittoNative.UsernamePwSet(_handle, username, password);

    /// <summary>Connect through a SOCKS5 relay (the agent's own <see cref="MarkedConnectProxy"/>).</summary>
    public int SetSocks5(string host, int port, string username, string password) => MosquittoNative.Socks5Set(_handle, host, port, username, password);

    /// <summary>Server verification against <paramref name="caFile"/>, or the system store when none is given.</summary>
    public int SetTls(string? caFile, string? certFile, string? keyFile)
    {
        var caPath = caFile is null ? "/etc/ssl/certs" : null;
        var rc = MosquittoNative.TlsSet(_handle, caFile, caPath, certFile, keyFile, IntPtr.Zero);
        if (rc == MosquittoConstants.ErrSuccess) UsesTls = true;
        return rc;
    }

    public int SetWill(string topic, ReadOnlySpan<byte> payload, int qos, bool retain)
    {
        fixed (byte* p = payload)
            return MosquittoNative.WillSetV5(_handle, topic, payload.Length, p, qos, retain, IntPtr.Zero);
    }

    /// <summary>Blocking TCP (and TLS start) connect, then CONNECT queued; CONNACK arrives through <see cref="Loop"/>.</summary>
    /// <summary>errno of the last failing Connect or Loop on this thread (meaningful with error code 14, MOSQ_ERR_ERRNO).</summary>
    public static int LastErrno => Marshal.GetLastPInvokeError();

    public int Connect(string host, int port, int keepaliveSeconds, uint sessionExpirySeconds)
    {
        var properties = IntPtr.Zero;
        try
        {
            var rc = MosquittoNative.PropertyAddInt32(ref properties, MosquittoConstants.PropSessionExpiryInterval, sessionExpirySeconds);
            if (rc != MosquittoConstants.ErrSuccess) return rc;
            return MosquittoNative.ConnectBindV5(_handle, host, port, keepaliveSeconds, null, properties);
        }
        finally
        {
            MosquittoNative.PropertyFreeAll(ref properties);
        }
    }

    public int Loop(TimeSpan timeout) => MosquittoNative.Loop(_handle, (int)timeout.TotalMilliseconds, 1);

    public int Publish(string topic, ReadOnlySpan<byte> payload, int qos, bool retain, out int mid)
    {
        fixed (byte* p = payload)
            return MosquittoNative.PublishV5(_handle, out mid, topic, payload.Length, p, qos, retain, IntPtr.Zero);
    }

    public int Subscribe(string filter, int qos, int options, out int mid) =>
        MosquittoNative.SubscribeV5(_handle, out mid, filter, qos, options, IntPtr.Zero);

    public int Disconnect(int reasonCode) => MosquittoNative.DisconnectV5(_handle, reasonCode, IntPtr.Zero);

    public void Dispose()
    {
        // The SafeHandle destroys the native object once no call holds it. Callbacks only ever run inside
        // Loop on the thread that disposes, so the GCHandle can go now.
        _handle.Dispose();
        if (_events.IsAllocated) _events.Free();
    }

    private static void Check(int rc, string what)
    {
        if (rc != MosquittoConstants.ErrSuccess)
            throw new InvalidOperationException($"libmosquitto {what}: {MosquittoLibrary.ErrorText(rc)}");
    }
}
