using System.Globalization;

namespace BranchConnector.Agent.Protocol.Reading;

/// <summary>JSON paths in the form the Confirm uses: `commands[2].body.routes[5].destination`.</summary>
internal static class JsonPaths
{
    public static string Child(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Element(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
