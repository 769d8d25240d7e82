using Microsoft.Win32.SafeHandles;

namespace BranchConnector.Agent.Mqtt.Native;

/// <summary>
/// Owns a struct mosquitto*. Every call marshals through this handle, which holds a reference for the call's
/// duration, so a publish on another thread can never race mosquitto_destroy.
/// </summary>
internal sealed class MosquittoHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public MosquittoHandle() : base(ownsHandle: true) { }

    internal MosquittoHandle(IntPtr existing) : base(ownsHandle: true) => SetHandle(existing);

    protected override bool ReleaseHandle()
    {
        MosquittoNative.Destroy(handle);
        return true;
    }
}
