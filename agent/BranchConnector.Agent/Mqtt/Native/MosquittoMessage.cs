using System.Runtime.InteropServices;

namespace BranchConnector.Agent.Mqtt.Native;

/// <summary>struct mosquitto_message as libmosquitto lays it out; valid only during the message callback.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MosquittoMessage
{
    public int Mid;
    public IntPtr Topic;
    public IntPtr Payload;
    public int PayloadLength;
    public int Qos;
    public byte Retain;
}
