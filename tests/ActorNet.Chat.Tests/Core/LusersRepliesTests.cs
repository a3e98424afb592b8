using ActorNet.Chat.Core;
using Xunit;

namespace ActorNet.Chat.Tests.Core;

/// <summary>LUSERS lines (pure): one node counts itself; a cluster's global counts go into 251, 252, 255's servers
/// and 266, while 253, 255's clients and 265 stay this node's.</summary>
public sealed class LusersRepliesTests
{
    private static string[] Lines(LusersCounts c) => Replies.Lusers("irc.test", "me", c).Select(m => m.ToString()).ToArray();

    [Fact]
    public void One_node_counts_itself_as_the_only_server()
    {
        var lines = Lines(new LusersCounts(Users: 5, Invisible: 2, Opers: 1, Unknown: 3, Channels: 4, MaxUsers: 7));
        Assert.Equal([
            ":irc.test 251 me :There are 3 users and 2 invisible on 1 servers",
            ":irc.test 252 me 1 :operator(s) online",
            ":irc.test 253 me 3 :unknown connection(s)",
            ":irc.test 254 me 4 :channels formed",
            ":irc.test 255 me :I have 5 clients and 0 servers",
            ":irc.test 265 me 5 7 :Current local users 5, max 7",
            ":irc.test 266 me 5 7 :Current global users 5, max 7",
        ], lines);
    }

    [Fact]
    public void A_cluster_counts_every_node_globally_and_this_node_locally()
    {
        var lines = Lines(new LusersCounts(Users: 5, Invisible: 2, Opers: 1, Unknown: 3, Channels: 4, MaxUsers: 7)
        {
            Global = new GlobalCounts(Servers: 3, Users: 12, Invisible: 4, Opers: 2, MaxUsers: 15),
        });
        Assert.Equal([
            ":irc.test 251 me :There are 8 users and 4 invisible on 3 servers",
            ":irc.test 252 me 2 :operator(s) online",
            ":irc.test 253 me 3 :unknown connection(s)",
            ":irc.test 254 me 4 :channels formed",
            ":irc.test 255 me :I have 5 clients and 2 servers",
            ":irc.test 265 me 5 7 :Current local users 5, max 7",
            ":irc.test 266 me 12 15 :Current global users 12, max 15",
        ], lines);
    }
}
