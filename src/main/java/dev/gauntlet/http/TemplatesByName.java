package dev.gauntlet.http;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Parser;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.cache.TemplateCache;
import com.github.jknack.handlebars.io.TemplateSource;

import java.io.IOException;
import java.io.UncheckedIOException;
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
    try {
      return compiled.computeIfAbsent(source.filename(), name -> {
        try {
          return parser.parse(source);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
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
