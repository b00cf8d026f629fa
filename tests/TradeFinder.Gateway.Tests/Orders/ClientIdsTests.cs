using TradeFinder.Gateway.Orders;

namespace TradeFinder.Gateway.Tests.Orders;

public sealed class ClientIdsTests
{
    private const string ExchangePattern = "^[\\.A-Z\\:/a-z0-9_-]{1,36}$";

    [Fact]
    public void ExchangeIds_CarryTheOwnersTag_AndStayWithinTheExchangesRules()
    {
        var tag = ClientIds.Tag("alpha");
        var direct = ClientIds.Direct(tag, new string('x', ClientIds.MaxDirectLength))!;
        var mapped = ClientIds.Mapped(tag);
        var generated = ClientIds.Direct(tag, ClientIds.NewBotId())!;

        foreach (var id in new[] { direct, mapped, generated })
        {
            Assert.Matches(ExchangePattern, id);
            Assert.True(ClientIds.TryParse(id, out var parsedTag, out _, out _));
            Assert.Equal(tag, parsedTag);
        }

        Assert.Null(ClientIds.Direct(tag, new string('x', ClientIds.MaxDirectLength + 1)));
        Assert.True(ClientIds.TryParse(mapped, out _, out var isMapped, out _) && isMapped);
    }

    [Fact]
    public void AnExchangeIdCarriesABotId_ExactlyWhenDirectWouldHaveMadeIt()
    {
        var tag = ClientIds.Tag("alpha");
        var longest = new string('x', ClientIds.MaxDirectLength);

        Assert.True(ClientIds.Carries(tag, "mine-1", ClientIds.Direct(tag, "mine-1")!));
        Assert.True(ClientIds.Carries(tag, longest, ClientIds.Direct(tag, longest)!));
        Assert.False(ClientIds.Carries(tag, "mine-1", ClientIds.Mapped(tag)));
        Assert.False(ClientIds.Carries(tag, "mine-1", ClientIds.Direct(ClientIds.Tag("beta"), "mine-1")!)); // another bot's tag
        Assert.False(ClientIds.Carries(tag, "mine-1", ClientIds.Direct(tag, "mine-2")!));
        Assert.False(ClientIds.Carries(tag, "mine-1", ClientIds.Direct(tag, "mine-12")!));
        Assert.False(ClientIds.Carries(tag, "mine", tag + ":mine")); // the mapped separator
    }

    [Fact]
    public void Tags_DifferPerBot_AndForeignIdsHaveNone()
    {
        var tags = Enumerable.Range(0, 500).Select(i => ClientIds.Tag("bot-" + i)).ToList();

        Assert.Equal(tags.Count, tags.Distinct().Count());
        Assert.Equal(ClientIds.Tag("alpha"), ClientIds.Tag("alpha"));
        Assert.False(ClientIds.TryParse("web_abc123", out _, out _, out _));
        Assert.False(ClientIds.TryParse("autoclose-1700000000", out _, out _, out _));
        Assert.False(ClientIds.TryParse(null, out _, out _, out _));
    }

    [Fact]
    public void NewBotIds_AreUnique()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => ClientIds.NewBotId()).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id.Length <= ClientIds.MaxDirectLength));
    }
}
