package dev.gauntlet.http;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Parser;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.cache.TemplateCache;
import com.github.jknack.handlebars.io.TemplateSource;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled templates by file name, for the whole life of the process (templates come from the
 * jar and never change). Vert.x caches a page's own template, but Handlebars compiles each
 * partial it includes again at every render, through a template source whose identity is new
 * each time: this keeps the partials too.
 */
final class TemplatesByName implements TemplateCache {

  private final Map<String, Template> compiled = new ConcurrentHashMap<>();

  /** Makes {@code handlebars} keep every template it compiles. */
  static Handlebars install(Handlebars handlebars) {
    return handlebars.with(new TemplatesByName());
  }

  @Override
  public Template get(TemplateSource source, Parser parser) throws IOException {
    Template template = compiled.get(source.filename());
    if (template == null) {
      // parsed outside the map: a template may include partials, whose compiling comes back here
      template = parser.parse(source);
      Template raced = compiled.putIfAbsent(source.filename(), template);
      template = raced != null ? raced : template;
    }
    return template;
  }

  @Override
  public void clear() {
    compiled.clear();
  }

  @Override
  public void evict(TemplateSource source) {
    compiled.remove(source.filename());
  }

  @Override
  public TemplateCache setReload(boolean reload) {
    return this;
  }
}
