namespace BranchConnector.Agent.Mqtt.Native;

/// <summary>The numbers from mosquitto.h and mqtt_protocol.h that the session needs (no header ships on the box).</summary>
internal static class MosquittoConstants
{
    // enum mosq_err_t
    public const int ErrSuccess = 0;
    public const int ErrNoConn = 4;
    public const int ErrConnRefused = 5;
    public const int ErrConnLost = 7;
    public const int ErrTls = 8;
    public const int ErrErrno = 14;
    public const int ErrEai = 15;
    public const int ErrTlsHandshake = 23;

    // enum mosq_opt_t
    public const int OptProtocolVersion = 1;
    public const int ProtocolV5 = 5;

    // MQTT 5 property identifiers
    public const int PropSessionExpiryInterval = 0x11;

    // MQTT 5 reason codes the session reacts to
    public const int ReasonDisconnectWithWill = 0x04;
    public const int ReasonBadUsernameOrPassword = 0x86;
    public const int ReasonNotAuthorized = 0x87;
    public const int ReasonSessionTakenOver = 0x8E;

    // Subscription options: retained messages only when the subscription is new (a resubscribe on a kept
    // session must not replay them).
    public const int SubOptSendRetainNew = 0x10;

    // Log levels
    public const int LogErr = 0x08;
    public const int LogWarning = 0x04;
}
