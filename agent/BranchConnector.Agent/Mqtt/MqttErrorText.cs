using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using MQTTnet;
using MQTTnet.Adapter;

namespace BranchConnector.Agent.Mqtt;

/// <summary>Turns MQTTnet's exceptions and MQTT 5 reason codes into the clear text shown in status and logs.</summary>
internal static class MqttErrorText
{
    /// <summary>
    /// Why a connect attempt failed before CONNACK. <paramref name="tlsRejection"/> is what the certificate check
    /// said about the broker's certificate, when it refused it.
    /// </summary>
    public static string ForConnectFailure(Exception exception, string? tlsRejection, TimeSpan? timedOutAfter)
    {
        if (timedOutAfter is { } after) return $"no CONNACK within {(int)after.TotalSeconds} s";
        if (tlsRejection is not null) return $"TLS handshake failed: {tlsRejection}";
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AuthenticationException auth:
                    return $"TLS handshake failed: {auth.InnerException?.Message ?? auth.Message}";
                case SocketException socket:
                    return ForSocket(socket);
            }
        }
        // MQTTnet says "Error while authenticating. Connection closed." when the broker hangs up before CONNACK
        // (a client certificate it refused shows up this way with TLS 1.3).
        if (exception is MqttConnectingFailedException) return "the broker closed the connection before CONNACK";
        return exception.Message;
    }

    public static string ForSocket(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "cannot resolve the broker host name",
        SocketError.TimedOut => "connect timed out",
        _ => socket.Message,
    };

    /// <summary>A CONNACK that refused the connection.</summary>
    public static string ForConnack(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.NotAuthorized => "not authorised",
        MqttClientConnectResultCode.BadUserNameOrPassword => "not authorised (bad user name or password)",
        _ => $"connection refused: {ReasonText(code.ToString(), (int)code)}",
    };

    /// <summary>Why an established connection ended: a DISCONNECT from the broker (reason ≥ 0x80) or the transport.</summary>
    public static string ForDisconnect(MqttClientDisconnectReason reason, Exception? transport)
    {
        if (reason == MqttClientDisconnectReason.SessionTakenOver) return $"session taken over: {MqttSessionStatus.IdentityConflictText}";
        if ((int)reason >= 0x80) return $"disconnected by the broker: {ReasonText(reason.ToString(), (int)reason)}";
        for (var e = transport; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket) return ForSocket(socket);
        }
        return "connection lost";
    }

    /// <summary>A PUBACK or SUBACK that refused.</summary>
    public static string ForReason(string name, int code) => ReasonText(name, code);

    /// <summary>"ServerShuttingDown" (0x8B) → "server shutting down (0x8B)".</summary>
    private static string ReasonText(string name, int code)
    {
        var words = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && words.Length > 0) words.Append(' ');
            words.Append(char.ToLowerInvariant(c));
        }
        return $"{words} (0x{code:X2})";
    }
}
