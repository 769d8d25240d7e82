namespace BranchConnector.IntegrationTests.Firewall;

/// <summary>Someone else's rules on the box before the agent arrives: Docker-like chains, a user's INPUT ending in DROP, NAT.</summary>
internal static class ForeignRuleset
{
    public const string V4 = """
        *mangle
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A FORWARD -p tcp -m tcp --dport 9999 -j MARK --set-xmark 0x1/0xffffffff
        COMMIT
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
        :DOCKER - [0:0]
        :DOCKER-ISOLATION-STAGE-1 - [0:0]
        :DOCKER-USER - [0:0]
        -A INPUT -i lo -j ACCEPT
        -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A INPUT -p tcp -m tcp --dport 22 -m comment --comment "admin ssh" -j ACCEPT
        -A INPUT -j DROP
        -A FORWARD -j DOCKER-USER
        -A FORWARD -j DOCKER-ISOLATION-STAGE-1
        -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A FORWARD -o docker0 -j DOCKER
        -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
        -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 443 -j ACCEPT
        -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j RETURN
        -A DOCKER-ISOLATION-STAGE-1 -j RETURN
        -A DOCKER-USER -j RETURN
        COMMIT
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        :DOCKER - [0:0]
        -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
        -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
        -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
        -A DOCKER -i docker0 -j RETURN
        -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8443 -j DNAT --to-destination 172.17.0.2:443
        COMMIT

        """;

    public const string V6 = """
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        -A INPUT -p ipv6-icmp -j ACCEPT
        -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
        -A INPUT -j DROP
        COMMIT

        """;

    /// <summary>A later, different foreign ruleset somebody restores wholesale (without --noflush): it wipes our chains too.</summary>
    public const string Replacement = """
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        -A INPUT -i lo -j ACCEPT
        -A INPUT -j DROP
        -A FORWARD -s 203.0.113.0/24 -j DROP
        COMMIT

        """;
}
