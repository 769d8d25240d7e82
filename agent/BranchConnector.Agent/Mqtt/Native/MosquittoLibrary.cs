using System.Runtime.InteropServices;

namespace BranchConnector.Agent.Mqtt.Native;

/// <summary>mosquitto_lib_init once per process (it initialises OpenSSL); never cleaned up, the process owns it.</summary>
internal static class MosquittoLibrary
{
    private static readonly Lazy<int> Init = new(MosquittoNative.LibInit, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void EnsureInitialised()
    {
        var rc = Init.Value;
        if (rc != MosquittoConstants.ErrSuccess)
            throw new InvalidOperationException($"mosquitto_lib_init failed: {ErrorText(rc)}");
    }

    public static string ErrorText(int error) => Marshal.PtrToStringUTF8(MosquittoNative.StrError(error)) ?? $"error {error}";

    public static string ReasonText(int reasonCode) => Marshal.PtrToStringUTF8(MosquittoNative.ReasonString(reasonCode)) ?? $"reason 0x{reasonCode:x2}";

    public static Version Version
    {
        get
        {
            MosquittoNative.LibVersion(out var major, out var minor, out var revision);
            return new Version(major, minor, revision);
        }
    }
}
