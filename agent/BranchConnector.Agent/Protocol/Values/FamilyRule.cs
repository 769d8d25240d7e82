namespace BranchConnector.Agent.Protocol.Values;

/// <summary>Which address families a document field accepts.</summary>
public enum FamilyRule { Any, IPv4 }
