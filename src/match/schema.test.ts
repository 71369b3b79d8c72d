import { describe, expect, it } from 'vitest'
import type { ColumnItem, ForeignKey, Item, TableItem } from '../model/inventory.js'
import { columnNamingKey, joinedTables, pairSchema, singular, tableNamingKey } from './schema.js'

const at = { file: 's', line: 1 }
const table = (name: string, primaryKey?: string[]): TableItem => ({
  kind: 'table',
  key: `table ${name.toLowerCase()}`,
  component: 'database',
  name,
  origin: 'sql',
  source: at,
  ...(primaryKey ? { primaryKey } : {}),
})
const fk = (table: string, column = 'id'): ForeignKey => ({ table, column, onDelete: 'CASCADE', onUpdate: 'NO ACTION', source: at })
const column = (tableName: string, name: string, references?: ForeignKey): ColumnItem => ({
  kind: 'column',
  key: `column ${tableName.toLowerCase()}.${name.toLowerCase()}`,
  component: 'database',
  table: tableName,
  name,
  type: 'integer',
  nullable: false,
  origin: 'sql',
  source: at,
  ...(references ? { references } : {}),
})

/** `Base.col -> cand.col (via)` for every pair found. */
function pairsOf(base: Item[], cand: Item[]): string[] {
  return [...pairSchema(base, cand)].map(([b, m]) => {
    const name = (i: Item) => (i.kind === 'column' ? `${i.table}.${i.name}` : i.kind === 'table' ? i.name : i.key)
    return `${name(b)} -> ${name(m.candidate)} (${m.via})`
  })
}

describe('naming keys', () => {
  it.each([
    ['User', 'users'],
    ['Category', 'categories'],
    ['Status', 'statuses'],
    ['Address', 'addresses'],
    ['Box', 'boxes'],
    ['House', 'houses'],
    ['Person', 'people'],
    ['UserAccount', 'user_accounts'],
    ['OAuth2Token', 'oauth2_tokens'],
    ['HTTPRequest', 'http_requests'],
    ['NewsItem', 'news_items'],
  ])('table %s is %s under another convention', (a, b) => {
    expect(tableNamingKey(a)).toBe(tableNamingKey(b))
  })

  it('keeps tables of different names apart', () => {
    expect(tableNamingKey('user')).not.toBe(tableNamingKey('user_account'))
    expect(tableNamingKey('order')).not.toBe(tableNamingKey('orders_archive'))
    expect(singular('bus')).toBe('bus')
    expect(singular('analysis')).toBe('analysis')
  })

  it.each([
    ['authorId', 'author_id'],
    ['createdAt', 'created_at'],
    ['AuthorID', 'author_id'],
    ['user-name', 'user_name'],
  ])('column %s is %s', (a, b) => {
    expect(columnNamingKey(a)).toBe(columnNamingKey(b))
  })
})

describe('join tables', () => {
  it('is a table whose two foreign keys are its primary key, or whose other columns are an id and timestamps', () => {
    const keyed = [column('article_tag', 'article_id', fk('articles')), column('article_tag', 'tag_id', fk('tags'))]
    expect(joinedTables(keyed, ['article_id', 'tag_id'])).toEqual(['articles', 'tags'])
    const django = [column('blog_article_tags', 'id'), ...keyed]
    expect(joinedTables(django, ['id'])).toEqual(['articles', 'tags'])
    const withData = [...keyed, column('article_tag', 'weight')]
    expect(joinedTables(withData, ['id'])).toBeUndefined()
    expect(joinedTables([keyed[0]!], undefined)).toBeUndefined()
  })

  // The rewrite: articles, tags, and an explicit article_tag keyed on (article_id, tag_id).
  const rewrite: Item[] = [
    table('articles', ['id']),
    column('articles', 'id'),
    table('tags', ['id']),
    column('tags', 'id'),
    table('article_tag', ['article_id', 'tag_id']),
    column('article_tag', 'article_id', fk('articles')),
    column('article_tag', 'tag_id', fk('tags')),
  ]

  it("pairs Prisma's implicit _ArticleToTag (columns A, B) by the models it references", () => {
    const prisma: Item[] = [
      table('Article', ['id']),
      column('Article', 'id'),
      table('Tag', ['id']),
      column('Tag', 'id'),
      table('_ArticleToTag', ['A', 'B']),
      column('_ArticleToTag', 'A', fk('Article')),
      column('_ArticleToTag', 'B', fk('Tag')),
    ]
    expect(pairsOf(prisma, rewrite)).toEqual([
      'Article -> articles (naming)',
      'Tag -> tags (naming)',
      '_ArticleToTag -> article_tag (join-table)',
      'Article.id -> articles.id (naming)',
      'Tag.id -> tags.id (naming)',
      '_ArticleToTag.A -> article_tag.article_id (join-table)',
      '_ArticleToTag.B -> article_tag.tag_id (join-table)',
    ])
  })

  it('pairs a Sequelize through-table (ArticleTags: articleId, tagId, timestamps) by the tables it references', () => {
    const sequelize: Item[] = [
      table('Articles', ['id']),
      column('Articles', 'id'),
      table('Tags', ['id']),
      column('Tags', 'id'),
      table('ArticleTags'),
      column('ArticleTags', 'articleId', fk('Articles')),
      column('ArticleTags', 'tagId', fk('Tags')),
      column('ArticleTags', 'createdAt'),
      column('ArticleTags', 'updatedAt'),
    ]
    // `ArticleTags` is `article_tag` under another convention: it pairs by name before its references are needed.
    expect(pairsOf(sequelize, rewrite)).toContain('ArticleTags -> article_tag (naming)')
    expect(pairsOf(sequelize, rewrite)).toContain('ArticleTags.articleId -> article_tag.article_id (naming)')
    // Renamed (`ArticleLabels`), it pairs by what it references.
    const renamed = sequelize.map((i) =>
      i.kind === 'table' && i.name === 'ArticleTags'
        ? table('ArticleLabels')
        : i.kind === 'column' && i.table === 'ArticleTags'
          ? column('ArticleLabels', i.name, i.references)
          : i,
    )
    expect(pairsOf(renamed, rewrite)).toContain('ArticleLabels -> article_tag (join-table)')
    expect(pairsOf(renamed, rewrite)).toContain('ArticleLabels.tagId -> article_tag.tag_id (join-table)')
  })

  it('pairs a Django many-to-many table (blog_article_tags: id, article_id, tag_id) by the tables it references', () => {
    const django: Item[] = [
      table('blog_article', ['id']),
      column('blog_article', 'id'),
      table('blog_tag', ['id']),
      column('blog_tag', 'id'),
      table('blog_article_tags', ['id']),
      column('blog_article_tags', 'id'),
      column('blog_article_tags', 'article_id', fk('blog_article')),
      column('blog_article_tags', 'tag_id', fk('blog_tag')),
    ]
    // Django's app prefix is a rename, not a convention: a map rule pairs the models, then the join table follows.
    const rewriteDjango: Item[] = [
      table('blog_articles', ['id']),
      column('blog_articles', 'id'),
      table('blog_tags', ['id']),
      column('blog_tags', 'id'),
      table('article_tags', ['article_id', 'tag_id']),
      column('article_tags', 'article_id', fk('blog_articles')),
      column('article_tags', 'tag_id', fk('blog_tags')),
    ]
    expect(pairsOf(django, rewriteDjango)).toEqual([
      'blog_article -> blog_articles (naming)',
      'blog_tag -> blog_tags (naming)',
      'blog_article_tags -> article_tags (join-table)',
      'blog_article.id -> blog_articles.id (naming)',
      'blog_tag.id -> blog_tags.id (naming)',
      'blog_article_tags.article_id -> article_tags.article_id (join-table)',
      'blog_article_tags.tag_id -> article_tags.tag_id (join-table)',
    ])
  })

  it('pairs nothing by a name two tables of one side share, nor a join table whose tables are not paired', () => {
    const base: Item[] = [table('Person')]
    const cand: Item[] = [table('people'), table('persons')]
    expect(pairsOf(base, cand)).toEqual([])
    const join: Item[] = [table('a_b', ['a_id', 'b_id']), column('a_b', 'a_id', fk('a')), column('a_b', 'b_id', fk('b'))]
    expect(pairsOf(join, rewrite)).toEqual([])
  })
})
