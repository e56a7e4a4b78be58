/**
 * Sharing a certificate: the public verification link (which anyone can open, and which Zalo and
 * other chat apps show as a card from the page's Open Graph tags), a ready message to paste into
 * Zalo, and, where the phone has the Web Share API, its share sheet (public/share.js). The link
 * and message work without JavaScript.
 */
export function CertificateShare({
  verifyUrl,
  message,
  title,
  scriptSrc,
}: {
  verifyUrl: string;
  message: string;
  title: string;
  scriptSrc: string;
}) {
  return (
    <section className="certificate-share" aria-labelledby="share-title">
      <h2 id="share-title">Khoe với người thân</h2>
      <p>
        <button
          type="button"
          className="button button--block"
          data-share-url={verifyUrl}
          data-share-title={title}
          data-share-text={message}
          hidden
        >
          Chia sẻ qua Zalo, tin nhắn…
        </button>
      </p>
      <div className="field">
        <label htmlFor="share-link">Đường link kiểm tra chứng nhận (ai cũng mở được)</label>
        <input id="share-link" readOnly value={verifyUrl} inputMode="url" />
      </div>
      <div className="field">
        <label htmlFor="share-message">Tin nhắn để dán vào Zalo</label>
        <p id="share-message-hint" className="field__hint">
          Giữ ngón tay trên ô này, chọn “Sao chép”, rồi mở Zalo và dán vào cuộc trò chuyện. Zalo sẽ hiện thẻ
          chứng nhận của bạn.
        </p>
        <textarea
          id="share-message"
          readOnly
          rows={4}
          aria-describedby="share-message-hint"
          value={message}
        />
      </div>
      <p>
        <a href={verifyUrl}>Mở trang kiểm tra chứng nhận</a>
      </p>
      <script src={scriptSrc} defer />
    </section>
  );
}
