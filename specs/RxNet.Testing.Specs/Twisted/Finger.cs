using System.Text;
using RxNet.Twisted;

namespace RxNet.Testing.Specs.Twisted;

/// <summary><c>twisted.protocols.finger.Finger</c> (RFC 1288), ported: the protocol Twisted's <c>test_finger.py</c>
/// tests. Twisted's bytes become Latin-1 strings here, so every byte maps to one character and back.</summary>
public sealed class Finger : LineReceiver
{
    public override void LineReceived(ReadOnlyMemory<byte> line) => Query(Encoding.Latin1.GetString(line.Span));

    private void Query(string line)
    {
        string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            parts = [""];
        bool slashW = parts.Length != 1;
        string user = parts[^1];
        if (user.Contains('@', StringComparison.Ordinal))
        {
            int hostPlace = user.LastIndexOf('@');
            string host = user[(hostPlace + 1)..];
            user = user[..hostPlace];
            ForwardQuery(slashW, user, host);
        }
        else if (user.Length > 0)
        {
            GetUser(slashW, user);
        }
        else
        {
            GetDomain(slashW);
        }
    }

    private void RefuseMessage(string message)
    {
        Transport.Write(Encoding.Latin1.GetBytes(message + "\n"));
        Transport.LoseConnection();
    }

    private void ForwardQuery(bool slashW, string user, string host) => RefuseMessage("Finger forwarding service denied");

    private void GetDomain(bool slashW) => RefuseMessage("Finger online list denied");

    private void GetUser(bool slashW, string user)
    {
        Transport.Write(Encoding.Latin1.GetBytes("Login: " + user + "\n"));
        RefuseMessage("No such user");
    }
}
