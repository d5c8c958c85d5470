package dev.gauntlet;

/**
 * Text whose reads fail once a deadline has passed, which bounds the work of any regex over it:
 * a user's pattern in a scorer or a search-and-replace converter cannot hold a thread for long.
 */
public final class TimedText implements CharSequence {

  public static final class Expired extends RuntimeException {
    Expired() {
      super(null, null, false, false);
    }
  }

  private final String text;
  private final long deadline;
  private int reads;

  public TimedText(String text, long deadline) {
    this.text = text;
    this.deadline = deadline;
  }

  @Override
  public char charAt(int index) {
    if ((++reads & 0xFFF) == 0 && System.nanoTime() > deadline) {
      throw new Expired();
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new TimedText(text.substring(start, end), deadline);
  }

  @Override
  public String toString() {
    return text;
  }
}
