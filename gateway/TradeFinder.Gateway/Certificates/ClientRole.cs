namespace TradeFinder.Gateway.Certificates;

/// <summary>Who a client certificate is for; carried in the subject's OU so a bot cert never passes as admin.</summary>
internal enum ClientRole
{
    Bot,
    Admin,
}
