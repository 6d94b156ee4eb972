"use client";

import { useState } from "react";

/** The product's images: one large, thumbnails to switch (the first image without JavaScript). */
export function Gallery({ images, name }: { images: { src: string; alt: string }[]; name: string }) {
  const [current, setCurrent] = useState(0);
  const shown = images[current] ?? images[0];
  return (
    <div className="gallery">
      <div className="gallery__main">
        {shown ? (
          <img src={shown.src} alt={shown.alt} />
        ) : (
          <span className="gallery__placeholder" aria-hidden="true">
            {name.trim().charAt(0).toUpperCase()}
          </span>
        )}
      </div>
      {images.length > 1 ? (
        <ul className="gallery__thumbs" aria-label="Product images">
          {images.map((img, i) => (
            <li key={`${img.src}:${i}`}>
              <button type="button" className="gallery__thumb" aria-label={`Show image ${i + 1} of ${images.length}`} aria-pressed={i === current} onClick={() => setCurrent(i)}>
                <img src={img.src} alt="" loading="lazy" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
