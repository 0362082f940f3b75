package wxsend.broadcast;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * JSON Lines read one line at a time from a stream, with each line's length in bytes, so that a
 * checkpoint can name the byte offset where the next step starts. Only one line is ever held.
 */
final class Lines {

    /** A line: its text (null when it is not UTF-8) and the bytes it took, its newline included. */
    record Line(String text, int bytes) {
    }

    /** A line longer than this is no recipient; it is skipped to its end and reported. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    private final InputStream in;

    Lines(InputStream in) {
        this.in = new BufferedInputStream(in, 64 * 1024);
    }

    /** The next line, or null at the end. */
    Line next() {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int bytes = 0;
        try {
            int b;
            while ((b = in.read()) != -1) {
                bytes++;
                if (b == '\n') {
                    break;
                }
                if (line.size() <= MAX_LINE_BYTES) {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes == 0) {
            return null;
        }
        if (line.size() > MAX_LINE_BYTES) {
            return new Line(null, bytes);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line.toByteArray())).toString();
            return new Line(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text, bytes);
        } catch (CharacterCodingException e) {
            return new Line(null, bytes);
        }
    }
}
