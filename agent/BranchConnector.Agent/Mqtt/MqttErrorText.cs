using System.Runtime.InteropServices;
using BranchConnector.Agent.Mqtt.Native;

namespace BranchConnector.Agent.Mqtt;

/// <summary>Turns libmosquitto codes and MQTT reason codes into the clear text shown in status and logs.</summary>
internal static class MqttErrorText
{
    /// <summary>A libmosquitto error from connect or the network loop.</summary>
    public static string ForError(int rc, int errno, string? lastTlsError) => rc switch
    {
        MosquittoConstants.ErrTls or MosquittoConstants.ErrTlsHandshake => $"TLS handshake failed: {lastTlsError ?? "unknown TLS error"}",
        MosquittoConstants.ErrErrno when lastTlsError is not null => $"TLS handshake failed: {lastTlsError}",
        MosquittoConstants.ErrErrno => errno != 0 ? Marshal.GetPInvokeErrorMessage(errno) : "connection failed",
        MosquittoConstants.ErrEai => "cannot resolve the broker host name",
        MosquittoConstants.ErrConnLost => "connection lost",
        MosquittoConstants.ErrNoConn => "connection closed",
        _ => MosquittoLibrary.ErrorText(rc),
    };

    /// <summary>A CONNACK that refused the connection.</summary>
    public static string ForConnack(int reasonCode) => reasonCode switch
    {
        MosquittoConstants.ReasonNotAuthorized => "not authorised",
        MosquittoConstants.ReasonBadUsernameOrPassword => "not authorised (bad user name or password)",
        _ => $"connection refused: {MosquittoLibrary.ReasonText(reasonCode)}",
    };

    /// <summary>A DISCONNECT sent by the broker (reason codes start at 0x80; below that it is a libmosquitto error).</summary>
    public static string ForDisconnect(int code, int errno, string? lastTlsError) => code switch
    {
        MosquittoConstants.ReasonSessionTakenOver => $"session taken over: {MqttSessionStatus.IdentityConflictText}",
        >= 0x80 => $"disconnected by the broker: {MosquittoLibrary.ReasonText(code)}",
        _ => ForError(code, errno, lastTlsError),
    };

    /// <summary>"OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed" → "certificate verify failed".</summary>
    public static string? OpenSslReason(string logLine)
    {
        if (!logLine.StartsWith("OpenSSL Error", StringComparison.Ordinal)) return null;
        var cut = logLine.LastIndexOf("::", StringComparison.Ordinal);
        if (cut >= 0) return logLine[(cut + 2)..].Trim();
        cut = logLine.LastIndexOf(':');
        return cut >= 0 ? logLine[(cut + 1)..].Trim() : logLine;
    }
}
