using LiteDB;

namespace Aggregator.Core.Storage;

/// <summary>
/// A private BsonMapper, warmed at open: LiteDB's mapper builds entity maps lazily and races when
/// two threads map a type for the first time (LiteDB #2536).
/// </summary>
internal static class StoreMapper
{
    public static BsonMapper Create()
    {
        var mapper = new BsonMapper { EnumAsInteger = false, TrimWhitespace = false, EmptyStringToNull = false };
        mapper.Entity<StoryRecord>().Id(s => s.Id, autoId: false);
        mapper.Entity<StoryKeysRecord>().Id(k => k.Id, autoId: false);
        mapper.Entity<FeedStateRecord>().Id(f => f.Id, autoId: false);
        mapper.Entity<OutboxEventRecord>().Id(e => e.Id, autoId: false);
        mapper.Entity<WebhookStateRecord>().Id(w => w.Id, autoId: false);
        mapper.ToDocument(new StoryRecord { Sources = [new StorySource()] });
        mapper.ToDocument(new StoryKeysRecord { Keys = ["k"], Feeds = ["f"], Signature = [1] });
        mapper.ToDocument(new FeedStateRecord());
        mapper.ToObject<OutboxEventRecord>(mapper.ToDocument(new OutboxEventRecord { Id = 1 }));
        mapper.ToObject<WebhookStateRecord>(mapper.ToDocument(new WebhookStateRecord()));
        mapper.ToObject<StoryRecord>(mapper.ToDocument(new StoryRecord { Sources = [new StorySource()] }));
        mapper.ToObject<StoryKeysRecord>(mapper.ToDocument(new StoryKeysRecord { Keys = ["k"], Feeds = ["f"] }));
        mapper.ToObject<FeedStateRecord>(mapper.ToDocument(new FeedStateRecord()));
        return mapper;
    }
}
